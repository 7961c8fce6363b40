# shellcheck shell=bash
# Step 3: Docker Compose v2 as a CLI plugin (`docker compose`). Built from source with the host's
# Go when missing (about 2 minutes on 2 cores), and cached, so re-runs only copy the binary.
# TEST_ENV_COMPOSE=skip skips the step; a docker-compose v1 on PATH is the fallback.

COMPOSE_VERSION=${TEST_ENV_COMPOSE_VERSION:-v2.40.3}
COMPOSE_MODULE=github.com/docker/compose/v2

plugin_dir() { if is_root; then echo /usr/local/lib/docker/cli-plugins; else echo "$HOME/.docker/cli-plugins"; fi; }

build_compose() {
  local out=$1 src=$TE_WORK/compose-src log=$TE_WORK/compose-build.log dir
  have go || { warn "Go is needed to build compose"; return 1; }
  info "building compose $COMPOSE_VERSION from the Go module proxy (takes ~2 min on 2 cores; log: $log)"
  dir=$(GOFLAGS='' go mod download -json "$COMPOSE_MODULE@$COMPOSE_VERSION" 2>"$log" \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
  [ -n "$dir" ] || { warn "go mod download $COMPOSE_MODULE@$COMPOSE_VERSION failed (see $log)"; return 1; }
  # `go install pkg@version` refuses compose (its go.mod has exclude directives): build a copy.
  rm -rf "$src" && cp -r "$dir" "$src" && chmod -R u+w "$src"
  (cd "$src" && run_logged "$log" env GOFLAGS=-buildvcs=false CGO_ENABLED=0 go build -trimpath \
    -ldflags "-s -w -X $COMPOSE_MODULE/internal.Version=$COMPOSE_VERSION" -o "$out.tmp" ./cmd) || return 1
  mv "$out.tmp" "$out"
  rm -rf "$src"
}

ensure_compose() {
  step "Docker Compose"
  local v bin=$TE_CACHE/compose/docker-compose-$COMPOSE_VERSION t0=$SECONDS
  if [ "${TEST_ENV_COMPOSE:-}" = skip ]; then info "skipped (TEST_ENV_COMPOSE=skip)"; COMPOSE_DESC='skipped'; return 0; fi
  if v=$("$BK_CLIENT" compose version --short 2>/dev/null); then
    ok "docker compose $v"; COMPOSE_DESC="docker compose $v"; return 0
  fi
  mkdir -p "$TE_CACHE/compose" "$TE_WORK"
  if [ -x "$bin" ] || build_compose "$bin"; then
    [ $((SECONDS - t0)) -lt 5 ] || info "compose built in $((SECONDS - t0)) s"
    install -D -m 0755 "$bin" "$(plugin_dir)/docker-compose"
    if v=$("$BK_CLIENT" compose version --short 2>/dev/null); then
      ok "docker compose $v (plugin: $(plugin_dir)/docker-compose)"; COMPOSE_DESC="docker compose $v"; return 0
    fi
    warn "the installed plugin does not answer to '$BK_CLIENT compose version'"
  fi
  if v=$(docker-compose version --short 2>/dev/null); then
    warn "using docker-compose $v (v1) instead of the compose v2 plugin"
    COMPOSE_DESC="docker-compose $v (v1)"; return 0
  fi
  die "Docker Compose is not available and could not be built; set TEST_ENV_COMPOSE=skip to go on without it"
}
