# shellcheck shell=bash
# Step 2b: the golang stand-in carries a warm Go build cache for the sample app's dependencies.
#
# Why: every proof case whose Go code or go build line differs from another recompiles all of gin
# in its image (60-100 s on 2 cores), which puts the Docker tests far past CI's time budget. Only the
# compiled packages are kept (GOCACHE), for the build configurations the lessons use: cgo on and off,
# with and without -trimpath; the cross-compile to linux/arm64 of the multi-arch lesson; and the test
# binaries and vet facts of `go vet ./... && go test ./...` in a test stage (without them each build of
# that stage compiled the testing packages and vetted all of gin again, 30-130 s). Test results are
# cleaned away, so a lesson's `go test` still runs its tests. The module cache is emptied, so
# `go mod download` still downloads and lesson 3's measurement of it is unchanged. Builds stay real
# builds: they just compile gin once per machine, as on a developer's laptop. Marked with a label
# that names the sample app's go.sum and this recipe, so a change of either warms it again.

GO_CACHE_LABEL=learn-go-docker.test-env.go-cache

go_cache_hash() {
  { cat "$here/../sample-app/go.mod" "$here/../sample-app/go.sum"; echo 'recipe 3'; } | sha256sum | cut -c1-16
}

ensure_warm_go_cache() {
  local name=${TE_PREFIX}golang:1.26-trixie alias=${TE_PREFIX}golang:1.26 hash have old ctx=$TE_WORK/go-cache
  is_stand_in "$name" || return 0   # a real golang image is left as it is
  hash=$(go_cache_hash)
  have=$(dk image inspect "$name" --format "{{index .Config.Labels \"$GO_CACHE_LABEL\"}}" 2>/dev/null)
  if [ "$have" = "$hash" ]; then ok "$name: Go build cache of the sample app's dependencies present"; return 0; fi
  info "warming the Go build cache of $name (compiles the sample app's dependencies as the lessons build, test and cross-compile it; a few minutes once)"
  old=$(dk image inspect "$name" --format '{{.Id}}')
  if [ -n "$have" ]; then
    # Warmed by another recipe: start again from the root file system, or the old cache would stay
    # in a layer beneath the new one (every layer counts: the image grew from 1.0 to 1.7 GB).
    info "$name: its Go build cache is from another recipe; re-making the image without it"
    build_golang "$name"
  fi
  rm -rf "$ctx" && mkdir -p "$ctx"
  cp -R "$here/../sample-app" "$ctx/app"
  cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM $name
COPY app/ /tmp/warm/
RUN cd /tmp/warm && for cgo in 1 0; do for flags in '' -trimpath; do CGO_ENABLED=\$cgo go build \$flags -o /dev/null ./... || exit 1; done; done \\
 && for flags in '' -trimpath; do CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build \$flags -o /dev/null ./... || exit 1; done \\
 && for cgo in 1 0; do CGO_ENABLED=\$cgo go vet ./... && CGO_ENABLED=\$cgo go test -count=1 -run '^\$' ./... >/dev/null || exit 1; done \\
 && go clean -testcache -modcache && rm -rf /tmp/warm
LABEL $GO_CACHE_LABEL=$hash
DOCKERFILE
  run_logged "$TE_WORK/go-cache.log" env DOCKER_BUILDKIT=0 "$DOCKER" build --network host -t "$name" "$ctx" \
    || die "warming the Go build cache of $name failed (log: $TE_WORK/go-cache.log)"
  rm -rf "$ctx"
  dk tag "$name" "$alias"
  dk rmi "$old" >/dev/null 2>&1 || true   # only when no other name or container still uses it
  ok "$name: Go build cache warm ($(image_size "$name"))"
}

# Step 2c: BuildKit's cache mount of Go's build cache starts from the same warm cache.
#
# Why: `RUN --mount=type=cache,target=/root/.cache/go-build go build` hides the image's warm cache
# behind the mount, which BuildKit creates empty, so the first builds of the lessons that teach the
# cache mount compiled gin from nothing again, a few at once (the proof cases run three at a time),
# 100-170 s each. The mount's id is its target path, so this fills that same mount once: the state
# of a machine that has built the app before. No check measures build times; the course's verdicts
# on cache mounts read the Dockerfile and the steps BuildKit reports CACHED. A BuildKit cache prune
# empties it, and the next run of this script fills it again (a few seconds when it is there).
# The step runs every time (a new NONCE), not with --no-cache: BuildKit gives a --no-cache build a
# fresh mount, and what it writes there is not the mount later builds get.
ensure_seeded_go_build_mount() {
  local name=${TE_PREFIX}golang:1.26-trixie hash ctx=$TE_WORK/go-build-mount
  is_stand_in "$name" || return 0
  hash=$(go_cache_hash)
  rm -rf "$ctx" && mkdir -p "$ctx"
  cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM $name AS seed
ARG NONCE
RUN --mount=type=cache,id=/root/.cache/go-build,target=/seed \\
    if [ -e /seed/.learn-go-docker-seed-$hash ]; then echo present >/state; \\
    else cp -a /root/.cache/go-build/. /seed/ && touch /seed/.learn-go-docker-seed-$hash && echo filled >/state; fi
FROM scratch
COPY --from=seed /state /state
DOCKERFILE
  run_logged "$TE_WORK/go-build-mount.log" env DOCKER_BUILDKIT=1 "$BK_CLIENT" build --build-arg "NONCE=$(date +%s%N)" \
    -o "type=local,dest=$ctx/out" "$ctx" \
    || die "filling BuildKit's cache mount /root/.cache/go-build failed (log: $TE_WORK/go-build-mount.log)"
  if [ "$(cat "$ctx/out/state" 2>/dev/null)" = filled ]; then ok "BuildKit cache mount /root/.cache/go-build: filled from $name's warm cache"
  else ok "BuildKit cache mount /root/.cache/go-build: warm"; fi
  rm -rf "$ctx"
}
