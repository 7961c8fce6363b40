# shellcheck shell=bash
# Which docker client can build with BuildKit (RUN --mount needs it): one with the buildx plugin,
# or a pre-23 classic client (Debian's docker.io 20.10 at /usr/bin/docker) with DOCKER_BUILDKIT=1.
# A client of 23 or later without buildx can only use the legacy builder.

# buildkit_mode CLIENT: prints "buildx", "builtin" or "none".
buildkit_mode() {
  local c=$1 v
  if "$c" buildx version >/dev/null 2>&1; then echo buildx; return; fi
  v=$("$c" version --format '{{.Client.Version}}' 2>/dev/null || true)
  if [[ $v =~ ^([0-9]+)\. ]] && [ "${BASH_REMATCH[1]}" -lt 23 ]; then echo builtin; else echo none; fi
}

client_version() { "$1" version --format '{{.Client.Version}}' 2>/dev/null || echo '?'; }

# Sets BK_CLIENT (absolute path), BK_MODE, and CLIENTS_SUMMARY (one line per client).
find_buildkit_client() {
  step "Docker client with BuildKit"
  local c path mode seen=' '
  BK_CLIENT='' BK_MODE='' CLIENTS_SUMMARY=''
  for c in "$(command -v docker || true)" /usr/bin/docker $(type -ap docker 2>/dev/null); do
    if [ -z "$c" ] || [ ! -x "$c" ]; then continue; fi
    path=$(readlink -f "$c")
    [[ $seen == *" $path "* ]] && continue
    seen+="$path "
    mode=$(buildkit_mode "$c")
    CLIENTS_SUMMARY+="$c ($(client_version "$c")): BuildKit $mode"$'\n'
    info "$c $(client_version "$c"): BuildKit $mode"
    if [ -z "$BK_CLIENT" ] || { [ "$BK_MODE" = builtin ] && [ "$mode" = buildx ]; }; then
      [ "$mode" = none ] || { BK_CLIENT=$c; BK_MODE=$mode; }
    fi
  done
  [ -n "$BK_CLIENT" ] || die "no docker client can build with BuildKit: install the buildx plugin or Debian's docker.io (/usr/bin/docker), then re-run"
  ok "BuildKit builds: DOCKER_BUILDKIT=1 $BK_CLIENT build ($BK_MODE)"
}
