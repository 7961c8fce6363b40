#!/usr/bin/env bash
# Make this machine ready for the project's Docker-backed tests (`npm run test:env`): a Docker
# engine, a BuildKit-capable client, every base image the lessons use (pulled, or built offline as
# labelled stand-ins), Docker Compose v2, and .tmp/test-env.env for the test runner.
# Idempotent; a second run only checks. See docs/test-env.md.
set -Eeuo pipefail

usage() {
  cat <<'TXT'
usage: scripts/test-env.sh [--rebuild] [--no-pull]
  --rebuild   re-create the stand-in images and their cached root file systems
  --no-pull   do not try registries; build stand-ins for missing images
environment: TEST_ENV_COMPOSE=skip  TEST_ENV_NETWORK_PROBE=skip  TEST_ENV_CACHE_DIR=DIR
             TEST_ENV_DEBIAN_MIRROR=URL  TEST_ENV_COMPOSE_VERSION=vX.Y.Z  (docs/test-env.md)
TXT
}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
for f in lib engine clients apt-sources rootfs go-toolchain extra-ca distroless images go-cache digests compose report; do
  # shellcheck source=/dev/null
  . "$here/test-env/$f.sh"
done

TE_REBUILD=0
for arg in "$@"; do
  case $arg in
    --rebuild) TE_REBUILD=1 ;;
    --no-pull) export TEST_ENV_PULL=0 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $arg" ;;
  esac
done

# One run at a time per cache (two would debootstrap into the same folders). The lock is held by
# a `flock -o` process around a second run of this script, never by an fd of the script itself:
# an inherited lock fd would stay open in every daemon the script starts (dockerd, containerd),
# and the next run would wait for the engine to stop.
if [ "${TE_LOCK_HELD:-}" != 1 ]; then
  mkdir -p "$TE_CACHE"
  export TE_LOCK_HELD=1
  rc=0
  flock -o -n -E 75 "$TE_CACHE/.lock" bash "${BASH_SOURCE[0]}" "$@" || rc=$?
  if [ "$rc" = 75 ]; then
    info "another test-env run holds $TE_CACHE/.lock; waiting for it"
    rc=0
    flock -o -w 1800 -E 75 "$TE_CACHE/.lock" bash "${BASH_SOURCE[0]}" "$@" || rc=$?
    [ "$rc" != 75 ] || die "gave up waiting for $TE_CACHE/.lock (held by: $(te_lock_holders))"
  fi
  exit "$rc"
fi

trap 'die "unexpected failure in ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND"' ERR
mkdir -p "$TE_WORK"
cleanup() { local d; digests_restore; for d in "$TE_WORK"/*/; do [ ! -d "$d" ] || safe_rmrf "${d%/}"; done; }
trap cleanup EXIT

ensure_engine
find_buildkit_client
ensure_images
ensure_warm_go_cache
ensure_seeded_go_build_mount
ensure_base_digests
ensure_compose
probe_container_network
write_env_file
print_summary
