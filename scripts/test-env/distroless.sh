# shellcheck shell=bash
# Root file systems for the distroless stand-ins: files extracted from $DEBIAN_SUITE's .debs (no
# maintainer scripts run, so no shell, package manager or - for static - libc), plus the users,
# groups and directories gcr.io/distroless/*-debian13 have.

DISTROLESS_STATIC_PKGS=(base-files netbase tzdata ca-certificates)
DISTROLESS_BASE_PKGS=("${DISTROLESS_STATIC_PKGS[@]}" libc6 libssl3t64)   # trixie's name for OpenSSL 3 (the 64-bit time_t rebuild)

# apt-get against $DEBIAN_SUITE with a private state dir under the cache: independent of the host's
# release and its package lists.
suite_apt() {
  local d=$TE_CACHE/apt-$DEBIAN_SUITE kr=/usr/share/keyrings/debian-archive-keyring.gpg
  mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/sources.list.d" "$d/preferences.d"
  [ -e "$d/status" ] || : >"$d/status"
  {
    printf 'deb [signed-by=%s] %s %s main\n' "$kr" "$DEBIAN_MIRROR" "$DEBIAN_SUITE"
    printf 'deb [signed-by=%s] %s %s-updates main\n' "$kr" "$DEBIAN_MIRROR" "$DEBIAN_SUITE"
    [ -z "$DEBIAN_SECURITY" ] || printf 'deb [signed-by=%s] %s %s-security main\n' "$kr" "$DEBIAN_SECURITY" "$DEBIAN_SUITE"
  } >"$d/sources.list"
  apt-get -q -o Dir::Etc::SourceList="$d/sources.list" -o Dir::Etc::SourceParts="$d/sources.list.d" \
    -o Dir::Etc::Preferences="$d/preferences" -o Dir::Etc::PreferencesParts="$d/preferences.d" \
    -o Dir::State::Lists="$d/lists" -o Dir::State::Status="$d/status" -o Dir::Cache="$d/cache" \
    -o APT::Sandbox::User=root -o Debug::NoLocking=1 "$@"
}

suite_apt_ready() {
  local lists=$TE_CACHE/apt-$DEBIAN_SUITE/lists stamp=$TE_CACHE/apt-$DEBIAN_SUITE/updated
  if [ -z "$(find "$stamp" -mmin -1440 2>/dev/null)" ] || [ -z "$(find "$lists" -maxdepth 1 -type f -name '*Packages*' 2>/dev/null)" ]; then
    info "apt-get update ($DEBIAN_SUITE, private lists under $TE_CACHE/apt-$DEBIAN_SUITE)"
    run_logged "$TE_WORK/$DEBIAN_SUITE-apt.log" suite_apt update || die "apt-get update for $DEBIAN_SUITE failed"
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

# distroless_tar KIND (static|base): $TE_CACHE/rootfs/distroless-KIND-SUITE.tar
distroless_tar() {
  local kind=$1 out=$TE_CACHE/rootfs/distroless-$1-$DEBIAN_SUITE.tar dir=$TE_WORK/distroless-$1 debs=$TE_WORK/distroless-debs deb p
  [ -s "$out" ] && { info "cached rootfs: $out"; return 0; }
  is_root || die "building the distroless rootfs needs root (file owners)"
  local -a pkgs=("${DISTROLESS_STATIC_PKGS[@]}")
  [ "$kind" = static ] || pkgs=("${DISTROLESS_BASE_PKGS[@]}")
  find_debian_mirror
  mkdir -p "$TE_CACHE/rootfs" "$TE_WORK"
  suite_apt_ready
  rm -rf "$debs" && mkdir -p "$debs"
  info "apt-get download ${pkgs[*]}"
  (cd "$debs" && run_logged "$TE_WORK/$DEBIAN_SUITE-apt.log" suite_apt download "${pkgs[@]}") \
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
  info "rootfs distroless-$kind-$DEBIAN_SUITE: $(du -h "$out" | cut -f1)"
}
