# shellcheck shell=bash
# Shared helpers for scripts/test-env.sh: logging, timing, the docker client, cache paths.

TE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TE_LABEL='learn-go-docker.stand-in=true'
# The Debian release every Debian-based stand-in is made from (the lessons' bases are on it).
DEBIAN_SUITE=trixie
TE_START=$SECONDS
TE_CACHE=${TEST_ENV_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/learn-go-docker/test-env}
# Only for testing this script: build every stand-in under a prefixed name (e.g. "tenv-sim/").
TE_PREFIX=${TEST_ENV_IMAGE_PREFIX:-}

if [ -t 1 ]; then TE_B=$'\e[1m' TE_R=$'\e[31m' TE_Y=$'\e[33m' TE_G=$'\e[32m' TE_0=$'\e[0m'
else TE_B='' TE_R='' TE_Y='' TE_G='' TE_0=''; fi

te_elapsed() { printf '%4ds' $((SECONDS - TE_START)); }
step() { printf '%s[test-env %s] ==> %s%s\n' "$TE_B" "$(te_elapsed)" "$*" "$TE_0"; }
info() { printf '[test-env %s]     %s\n' "$(te_elapsed)" "$*"; }
ok()   { printf '[test-env %s]     %sok%s: %s\n' "$(te_elapsed)" "$TE_G" "$TE_0" "$*"; }
warn() { printf '[test-env %s]     %swarning%s: %s\n' "$(te_elapsed)" "$TE_Y" "$TE_0" "$*" >&2; }
die()  { printf '%s[test-env %s] FAILED: %s%s\n' "$TE_R" "$(te_elapsed)" "$*" "$TE_0" >&2; exit 1; }

# te_lock_holders: the processes that have the lock file open (names the culprit when waiting fails).
te_lock_holders() {
  local p out=''
  for p in /proc/[0-9]*; do
    if ls -l "$p/fd" 2>/dev/null | grep -q -- "$TE_CACHE/.lock"; then out+="${p#/proc/} $(cat "$p/comm" 2>/dev/null); "; fi
  done
  echo "${out:-nobody}"
}

is_root() { [ "$(id -u)" = 0 ]; }
have() { command -v "$1" >/dev/null 2>&1; }

# The docker client this script itself uses (any client works for import/tag/inspect/run).
DOCKER=${DOCKER:-docker}
dk() { "$DOCKER" "$@"; }

# image_present NAME: true when the engine has an image with exactly this name.
image_present() { dk image inspect "$1" >/dev/null 2>&1; }
is_stand_in() {
  [ "$(dk image inspect "$1" --format '{{index .Config.Labels "learn-go-docker.stand-in"}}' 2>/dev/null)" = true ]
}

# run_logged LOGFILE CMD...: run quietly into a log; on failure show its tail.
run_logged() {
  local log=$1; shift
  if ! "$@" >"$log" 2>&1; then
    warn "command failed: $* (last lines of $log follow)"
    tail -n 25 "$log" >&2
    return 1
  fi
}

# apt_install PKG...: install Debian packages, refreshing the package lists only when needed.
apt_install() {
  if ! is_root || ! have apt-get; then die "need root on Debian to install: $* (install them yourself and re-run)"; fi
  export DEBIAN_FRONTEND=noninteractive
  local log=/tmp/learn-go-docker-test-env-apt.log p need_update=0
  for p in "$@"; do apt-cache show "$p" >/dev/null 2>&1 || need_update=1; done
  if [ $need_update = 1 ]; then
    info "apt-get update"
    run_logged "$log" apt-get update || die "apt-get update failed (see $log)"
  fi
  info "apt-get install $*"
  if ! apt-get install -y --no-install-recommends "$@" >"$log" 2>&1; then
    info "install failed; refreshing package lists and retrying once"
    run_logged "$log" apt-get update || die "apt-get update failed (see $log)"
    run_logged "$log" apt-get install -y --no-install-recommends "$@" || die "apt-get install $* failed (see $log)"
  fi
}
