# shellcheck shell=bash
# Root file systems for the Debian-based stand-ins, built with debootstrap from the machine's
# mirror and cached as tarballs under $TE_CACHE/rootfs, so a re-run after `docker system prune`
# only imports them again.

TE_WORK=$TE_CACHE/work
GOLANG_PACKAGES=ca-certificates,curl,wget,git,gcc,libc6-dev,make,pkg-config,netbase,tzdata,procps,xz-utils

# safe_rmrf DIR: remove a rootfs even if an interrupted debootstrap left /proc or /sys mounted in it.
safe_rmrf() {
  local dir=$1 m
  [ -e "$dir" ] || return 0
  while read -r m; do umount -l "$m" 2>/dev/null || true
  done < <(awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r)
  rm -rf --one-file-system "$dir"
}

# What the real debian:*-slim images do: no docs, man pages or locales, apt cleans after itself.
slim_rootfs() {
  local root=${1:?}
  mkdir -p "${root:?}/etc/dpkg/dpkg.cfg.d" "${root:?}/etc/apt/apt.conf.d"
  cat >"${root:?}/etc/dpkg/dpkg.cfg.d/docker" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
CFG
  cat >"${root:?}/etc/apt/apt.conf.d/docker-clean" <<'CFG'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
CFG
  printf 'Acquire::Languages "none";\n' >"${root:?}/etc/apt/apt.conf.d/docker-no-languages"
  printf 'Apt::AutoRemove::SuggestsImportant "false";\n' >"${root:?}/etc/apt/apt.conf.d/docker-autoremove-suggests"
  find "${root:?}/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
  find "${root:?}/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
  rm -rf "${root:?}"/usr/share/{man,groff,info,lintian,linda,locale}/*
}

# Leaves no trace of the build machine or of the bootstrap in the image.
clean_rootfs() {
  local root=${1:?}
  rm -rf "${root:?}"/var/lib/apt/lists/* "${root:?}"/var/cache/apt/archives/*.deb "${root:?}"/var/cache/apt/*.bin \
    "${root:?}"/var/cache/debconf/*-old "${root:?}"/var/lib/dpkg/*-old "${root:?}"/dev/* "${root:?}"/proc/* "${root:?}"/sys/* \
    "${root:?}"/tmp/* "${root:?}"/var/tmp/* "${root:?}"/run/*
  mkdir -p "${root:?}/var/lib/apt/lists/partial"
  rm -f "${root:?}/etc/resolv.conf" "${root:?}/etc/hostname" "${root:?}/etc/machine-id"
  : >"${root:?}/etc/hostname"
  find "${root:?}/var/log" -type f -delete
}

# debootstrap_tar NAME [PACKAGES [HOOK]]: $DEBIAN_SUITE minbase (+ packages, then `HOOK ROOT`) as
# $TE_CACHE/rootfs/NAME.tar.
debootstrap_tar() {
  local name=$1 include=${2:-} hook=${3:-} out=$TE_CACHE/rootfs/$1.tar dir=$TE_WORK/$1
  [ -s "$out" ] && { info "cached rootfs: $out"; return 0; }
  is_root || die "building the $name rootfs needs root (debootstrap)"
  have debootstrap || apt_install debootstrap
  find_debian_mirror
  mkdir -p "$TE_CACHE/rootfs" "$TE_CACHE/debs" "$TE_WORK"
  safe_rmrf "$dir"
  info "debootstrap --variant=minbase $DEBIAN_SUITE from $DEBIAN_MIRROR${include:+ (+ $include)}"
  run_logged "$TE_WORK/$name.debootstrap.log" debootstrap --variant=minbase --cache-dir="$TE_CACHE/debs" \
    ${include:+--include="$include"} "$DEBIAN_SUITE" "$dir" "$DEBIAN_MIRROR" \
    || die "debootstrap failed (log: $TE_WORK/$name.debootstrap.log)"
  slim_rootfs "$dir"
  write_image_sources "$dir"
  clean_rootfs "$dir"
  [ -z "$hook" ] || "$hook" "$dir"
  tar --numeric-owner -C "$dir" -cf "$out.tmp" . && mv "$out.tmp" "$out"
  safe_rmrf "$dir"
  info "rootfs $name: $(du -h "$out" | cut -f1)"
}
