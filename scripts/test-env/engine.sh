# shellcheck shell=bash
# Step 1: a Docker engine answers. Uses the one DOCKER_HOST (or the default socket) points at;
# on Debian as root with none running, installs docker.io and starts dockerd without systemd.

TE_DOCKERD_LOG=${TEST_ENV_DOCKERD_LOG:-/var/log/learn-go-docker/dockerd.log}

engine_up() { timeout 20 "$DOCKER" info >/dev/null 2>&1; }

# The MTU of the default route's interface; containers on a 1500-byte bridge behind a smaller
# uplink can hang on large TLS packets, so a dockerd we start uses the uplink's MTU.
uplink_mtu() {
  local dev
  dev=$(ip route show default 2>/dev/null | awk '{for (i = 1; i < NF; i++) if ($i == "dev") { print $(i + 1); exit }}')
  [ -n "$dev" ] && cat "/sys/class/net/$dev/mtu" 2>/dev/null
}

start_dockerd() {
  local args=() mtu
  mtu=$(uplink_mtu || true)
  if [ -n "$mtu" ] && [ "$mtu" -lt 1500 ]; then args+=(--mtu "$mtu"); fi
  mkdir -p "$(dirname "$TE_DOCKERD_LOG")"
  info "starting dockerd ${args[*]} (log: $TE_DOCKERD_LOG)"
  # setsid: the daemon outlives this script and the terminal; no systemd needed.
  setsid dockerd "${args[@]}" </dev/null >>"$TE_DOCKERD_LOG" 2>&1 &
  TE_DOCKERD_PID=$!
}

# dockerd_alive: the daemon we started (or, when another starter ran it, any dockerd) still runs.
dockerd_alive() {
  if [ -n "${TE_DOCKERD_PID:-}" ]; then kill -0 "$TE_DOCKERD_PID" 2>/dev/null; else pgrep -x dockerd >/dev/null; fi
}

wait_for_engine() {

  for _ in $(seq 1 60); do
    engine_up && return 0
    if ! dockerd_alive; then
      tail -n 20 "$TE_DOCKERD_LOG" >&2 2>/dev/null
      die "dockerd exited while starting (log above, full log: $TE_DOCKERD_LOG)"
    fi
    sleep 1
  done
  tail -n 20 "$TE_DOCKERD_LOG" >&2 2>/dev/null
  die "dockerd did not answer within 60 s (log: $TE_DOCKERD_LOG)"
}

ensure_engine() {
  step "Docker engine"
  if have "$DOCKER" && engine_up; then
    ok "engine answers${DOCKER_HOST:+ at DOCKER_HOST=$DOCKER_HOST}: $(dk version --format '{{.Server.Version}}' 2>/dev/null)"
    return 0
  fi
  if [ -n "${DOCKER_HOST:-}" ] || [ -n "${DOCKER_CONTEXT:-}" ]; then
    die "no engine answers at ${DOCKER_HOST:-context $DOCKER_CONTEXT}; start it, or unset DOCKER_HOST/DOCKER_CONTEXT to use a local one"
  fi
  if ! is_root || ! have apt-get; then
    die "no Docker engine answers and this is not Debian as root: start Docker (or set DOCKER_HOST) and re-run"
  fi
  info "no engine answers on the default socket"
  if ! have dockerd; then
    apt_install docker.io apparmor ca-certificates cgroupfs-mount iptables xz-utils
    hash -r
  fi
  have debootstrap || apt_install debootstrap
  have "$DOCKER" || DOCKER=/usr/bin/docker
  # docker.io's maintainer script may have started a daemon itself (sysvinit); never start a second.
  if pgrep -x dockerd >/dev/null; then
    info "a dockerd process is already starting; waiting for it"
  else
    start_dockerd
  fi
  wait_for_engine
  ok "engine answers: $(dk version --format '{{.Server.Version}}' 2>/dev/null)"
}
