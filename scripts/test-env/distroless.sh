# shellcheck shell=bash
# Root file systems for the distroless stand-ins: files extracted from bookworm's .debs (no
# maintainer scripts run, so no shell, package manager or - for static - libc), plus the users,
# groups and directories gcr.io/distroless/*-debian12 have.

DISTROLESS_STATIC_PKGS=(base-files netbase tzdata ca-certificates)
DISTROLESS_BASE_PKGS=("${DISTROLESS_STATIC_PKGS[@]}" libc6 libssl3)

# apt-get against bookworm with a private state dir under the cache: independent of the host's
# release and its package lists.
bookworm_apt() {
  local d=$TE_CACHE/apt kr=/usr/share/keyrings/debian-archive-keyring.gpg
  mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/sources.list.d" "$d/preferences.d"
  [ -e "$d/status" ] || : >"$d/status"
  {
    printf 'deb [signed-by=%s] %s bookworm main\n' "$kr" "$DEBIAN_MIRROR"
    printf 'deb [signed-by=%s] %s bookworm-updates main\n' "$kr" "$DEBIAN_MIRROR"
    [ -z "$DEBIAN_SECURITY" ] || printf 'deb [signed-by=%s] %s bookworm-security main\n' "$kr" "$DEBIAN_SECURITY"
  } >"$d/sources.list"
  apt-get -q -o Dir::Etc::SourceList="$d/sources.list" -o Dir::Etc::SourceParts="$d/sources.list.d" \
    -o Dir::Etc::Preferences="$d/preferences" -o Dir::Etc::PreferencesParts="$d/preferences.d" \
    -o Dir::State::Lists="$d/lists" -o Dir::State::Status="$d/status" -o Dir::Cache="$d/cache" \
    -o APT::Sandbox::User=root -o Debug::NoLocking=1 "$@"
}

bookworm_apt_ready() {
  local lists=$TE_CACHE/apt/lists stamp=$TE_CACHE/apt/updated
  if [ -z "$(find "$stamp" -mmin -1440 2>/dev/null)" ] || [ -z "$(find "$lists" -maxdepth 1 -type f -name '*Packages*' 2>/dev/null)" ]; then
    info "apt-get update (bookworm, private lists under $TE_CACHE/apt)"
    run_logged "$TE_WORK/bookworm-apt.log" bookworm_apt update || die "apt-get update for bookworm failed"
    touch "$stamp"
  fi
}

write_distroless_etc() {
  local root=${1:?}
  cat >"${root:?}/etc/passwd" <<'TXT'
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
TXT
  cat >"${root:?}/etc/group" <<'TXT'
root:x:0:
tty:x:5:
staff:x:50:
nobody:x:65534:
nonroot:x:65532:
TXT
  printf 'hosts: files dns\n' >"${root:?}/etc/nsswitch.conf"
  # What update-ca-certificates would write (the package's maintainer script is not run).
  mkdir -p "${root:?}/etc/ssl/certs"
  awk 1 "${root:?}"/usr/share/ca-certificates/*/*.crt >"${root:?}/etc/ssl/certs/ca-certificates.crt"
  # No scripts: nothing could run them (no shell).
  rm -rf "${root:?}/usr/share/ca-certificates" "${root:?}/usr/sbin" "${root:?}/etc/ca-certificates"* \
    "${root:?}/usr/share/base-files" "${root:?}/etc/update-motd.d" "${root:?}/etc/skel" "${root:?}/usr/games"
  install -d -m 0700 "${root:?}/root"
  install -d -m 0700 -o 65532 -g 65532 "${root:?}/home/nonroot"
  install -d -m 1777 "${root:?}/tmp"
  install -d -m 0755 "${root:?}/var/lib/dpkg/status.d"
}

# distroless_tar KIND (static|base): $TE_CACHE/rootfs/distroless-KIND.tar
distroless_tar() {
  local kind=$1 out=$TE_CACHE/rootfs/distroless-$1.tar dir=$TE_WORK/distroless-$1 debs=$TE_WORK/distroless-debs deb p
  [ -s "$out" ] && { info "cached rootfs: $out"; return 0; }
  is_root || die "building the distroless rootfs needs root (file owners)"
  local -a pkgs=("${DISTROLESS_STATIC_PKGS[@]}")
  [ "$kind" = static ] || pkgs=("${DISTROLESS_BASE_PKGS[@]}")
  find_debian_mirror
  mkdir -p "$TE_CACHE/rootfs" "$TE_WORK"
  bookworm_apt_ready
  rm -rf "$debs" && mkdir -p "$debs"
  info "apt-get download ${pkgs[*]}"
  (cd "$debs" && run_logged "$TE_WORK/bookworm-apt.log" bookworm_apt download "${pkgs[@]}") \
    || die "could not download ${pkgs[*]} from $DEBIAN_MIRROR"
  safe_rmrf "$dir" && mkdir -p "$dir"
  for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$dir"; done
  mkdir -p "$dir/var/lib/dpkg/status.d"
  for deb in "$debs"/*.deb; do   # package records, as distroless keeps them for scanners
    p=$(dpkg-deb -f "$deb" Package)
    dpkg-deb -f "$deb" >"$dir/var/lib/dpkg/status.d/$p"
  done
  find "$dir/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
  rm -rf "${dir:?}"/usr/share/{man,info,lintian,locale,common-licenses,bug,gcc,gdb} "$dir/etc/default" "$dir/etc/profile.d"
  write_distroless_etc "$dir"
  tar --numeric-owner -C "$dir" -cf "$out.tmp" . && mv "$out.tmp" "$out"
  safe_rmrf "$dir"; rm -rf "$debs"
  info "rootfs distroless-$kind: $(du -h "$out" | cut -f1)"
}
