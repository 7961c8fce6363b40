# shellcheck shell=bash
# The end of a run: can containers reach the registries builds need, the env file for the test
# runner, and the summary.

# Learners' builds run `go mod download` (Go module proxy) and lessons' `apt-get` (Debian mirror)
# inside containers. TEST_ENV_NETWORK_PROBE=skip skips this check.
probe_container_network() {
  step "Container network (what builds inside containers reach)"
  [ "${TEST_ENV_NETWORK_PROBE:-}" != skip ] || { info "skipped (TEST_ENV_NETWORK_PROBE=skip)"; return 0; }
  find_debian_mirror
  local out
  # shellcheck disable=SC2016 # $1 is expanded by the container's shell
  out=$(timeout 120 "$DOCKER" run --rm --label learn-go-docker.test-env=probe "${TE_PREFIX}golang:1.26-trixie" sh -c '
      go list -m github.com/gin-gonic/gin@v1.10.1 >/dev/null 2>&1 && echo goproxy=ok || echo goproxy=fail
      curl -fsS -o /dev/null --max-time 20 "$1/dists/trixie/InRelease" && echo debian=ok || echo debian=fail' \
      sh "$DEBIAN_MIRROR" 2>&1) || true
  case $out in
    *goproxy=ok*) ok "containers reach the Go module proxy (go list -m github.com/gin-gonic/gin@v1.10.1)" ;;
    *) die "a container cannot reach the Go module proxy, so learners' builds cannot run 'go mod download' ($out)" ;;
  esac
  case $out in
    *debian=ok*) ok "containers reach the Debian mirror $DEBIAN_MIRROR" ;;
    *) warn "a container cannot reach the Debian mirror $DEBIAN_MIRROR: 'apt-get' in a Dockerfile will fail" ;;
  esac
}

env_value() { if [[ $1 =~ ^[A-Za-z0-9_./:@,+=-]*$ ]]; then printf '%s' "$1"; else printf "'%s'" "${1//\'/}"; fi; }

# .tmp/test-env.env in the repository (git-ignored): what the Docker tests source.
write_env_file() {
  local repo f
  repo=$(cd "$TE_DIR/../.." && pwd)
  f=$repo/.tmp/test-env.env
  mkdir -p "$repo/.tmp"
  {
    echo "# Written by scripts/test-env.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ). Source it before the Docker tests."
    echo "# The docker client that builds with BuildKit (RUN --mount); run its builds with DOCKER_BUILDKIT=1."
    echo "LEARN_GO_DOCKER_DOCKER=$(env_value "$BK_CLIENT")"
    echo "DOCKER_BUILDKIT=1"
    # Compose builds with its own BuildKit client; without buildx, Bake would only print a warning.
    "$BK_CLIENT" buildx version >/dev/null 2>&1 || echo "COMPOSE_BAKE=false"
    if [ -n "${DOCKER_HOST:-}" ] && [ "$DOCKER_HOST" != unix:///var/run/docker.sock ]; then
      echo "DOCKER_HOST=$(env_value "$DOCKER_HOST")"
    fi
    [ -z "${DOCKER_CONTEXT:-}" ] || echo "DOCKER_CONTEXT=$(env_value "$DOCKER_CONTEXT")"
  } >"$f.tmp"
  mv "$f.tmp" "$f"
  TE_ENV_FILE=$f
}

print_summary() {
  step "Summary"
  local name size kind
  info "engine:   Docker $(dk version --format '{{.Server.Version}}' 2>/dev/null) at ${DOCKER_HOST:-the default socket}"
  while IFS= read -r line; do [ -z "$line" ] || info "client:   $line"; done <<<"$CLIENTS_SUMMARY"
  info "BuildKit: DOCKER_BUILDKIT=1 $BK_CLIENT build"
  info "compose:  $COMPOSE_DESC"
  while IFS= read -r name; do
    name=$TE_PREFIX$name
    size=$(image_size "$name"); kind=real
    is_stand_in "$name" && kind=stand-in
    info "$(printf 'image:    %-52s %10s  %s' "$name" "$size" "$kind")"
  done < <(all_image_names)
  info "env file: $TE_ENV_FILE"
  ok "machine ready for the Docker tests in $((SECONDS - TE_START)) s"
}
