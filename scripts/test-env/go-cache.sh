# shellcheck shell=bash
# Step 2b: the golang stand-in carries a warm Go build cache for the sample app's dependencies.
#
# Why: every proof case whose Go code or go build line differs from another recompiles all of gin
# in its image (60-100 s on 2 cores), which puts the Docker tests far past CI's time budget. Only the
# compiled packages are kept (GOCACHE), for the four build configurations the lessons use (cgo on and
# off, with and without -trimpath); the module cache is emptied, so `go mod download` still downloads
# and lesson 3's measurement of it is unchanged. Builds stay real builds: they just compile gin once
# per machine, as on a developer's laptop. Marked with a label that names the sample app's go.sum,
# so a dependency change warms it again.

GO_CACHE_LABEL=learn-go-docker.test-env.go-cache

go_cache_hash() {
  { cat "$here/../sample-app/go.mod" "$here/../sample-app/go.sum"; echo 'recipe 1'; } | sha256sum | cut -c1-16
}

ensure_warm_go_cache() {
  local name=${TE_PREFIX}golang:1.26-trixie alias=${TE_PREFIX}golang:1.26 hash have old ctx=$TE_WORK/go-cache
  is_stand_in "$name" || return 0   # a real golang image is left as it is
  hash=$(go_cache_hash)
  have=$(dk image inspect "$name" --format "{{index .Config.Labels \"$GO_CACHE_LABEL\"}}" 2>/dev/null)
  if [ "$have" = "$hash" ]; then ok "$name: Go build cache of the sample app's dependencies present"; return 0; fi
  info "warming the Go build cache of $name (compiles the sample app's dependencies 4 ways, a few minutes once)"
  old=$(dk image inspect "$name" --format '{{.Id}}')
  rm -rf "$ctx" && mkdir -p "$ctx"
  cp -R "$here/../sample-app" "$ctx/app"
  cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM $name
COPY app/ /tmp/warm/
RUN cd /tmp/warm && for cgo in 1 0; do for flags in '' -trimpath; do CGO_ENABLED=\$cgo go build \$flags -o /dev/null ./... || exit 1; done; done \\
 && go clean -modcache && rm -rf /tmp/warm
LABEL $GO_CACHE_LABEL=$hash
DOCKERFILE
  run_logged "$TE_WORK/go-cache.log" env DOCKER_BUILDKIT=0 "$DOCKER" build --network host -t "$name" "$ctx" \
    || die "warming the Go build cache of $name failed (log: $TE_WORK/go-cache.log)"
  rm -rf "$ctx"
  dk tag "$name" "$alias"
  dk rmi "$old" >/dev/null 2>&1 || true   # only when no other name or container still uses it
  ok "$name: Go build cache warm ($(image_size "$name"))"
}
