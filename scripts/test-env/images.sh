# shellcheck shell=bash
# Step 2: every base image the lessons use exists locally under its real name: pulled where a
# registry answers, else a stand-in built offline (labelled learn-go-docker.stand-in=true).

# name|how: `build FN` makes the image; `alias NAME` tags that image when nothing can be pulled.
image_table() {
  cat <<'TXT'
debian:trixie-slim|build build_debian_slim
golang:1.26-trixie|build build_golang
golang:1.26|alias golang:1.26-trixie
gcr.io/distroless/static-debian13:nonroot|build build_distroless static nonroot
gcr.io/distroless/static-debian13:latest|build build_distroless static latest
gcr.io/distroless/base-debian13:nonroot|build build_distroless base nonroot
gcr.io/distroless/base-debian13:latest|build build_distroless base latest
postgres:17-trixie|build build_postgres
TXT
}
all_image_names() { image_table | cut -d'|' -f1; }

declare -A TE_DEAD_REGISTRY=()
registry_of() {
  local first=${1%%/*}
  if [[ $1 == */* && ($first == *.* || $first == *:* || $first == localhost) ]]; then echo "$first"; else echo docker.io; fi
}

# try_pull NAME: one attempt per registry and run. A registry that has not answered within
# TEST_ENV_PULL_PROBE seconds (default 15) is given up on; one that answered may take 10 minutes.
try_pull() {
  local name=$1 reg pid i log=$TE_WORK/pull.log answered=0
  [ "${TEST_ENV_PULL:-1}" != 0 ] && [ -z "$TE_PREFIX" ] || return 1
  reg=$(registry_of "$name")
  [ -z "${TE_DEAD_REGISTRY[$reg]:-}" ] || return 1
  info "docker pull $name"
  dk pull "$name" >"$log" 2>&1 & pid=$!
  for i in $(seq 1 "${TEST_ENV_PULL_PROBE:-15}"); do
    grep -qE 'Pulling from|Digest:|Already exists|Pull complete' "$log" && { answered=1; break; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  if [ $answered = 0 ] && kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null; fi
  if [ $answered = 1 ]; then
    for i in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill "$pid" 2>/dev/null || true
  fi
  if wait "$pid" && image_present "$name"; then ok "pulled $name"; return 0; fi
  TE_DEAD_REGISTRY[$reg]=1
  local why
  why=$(tail -n 1 "$log" | cut -c1-160)
  info "$reg does not answer (${why:-no answer within ${TEST_ENV_PULL_PROBE:-15} s}); building stand-ins instead"
  return 1
}

# import_stand_in TAR NAME [--change ...]: import a rootfs tarball as a labelled stand-in.
import_stand_in() {
  local tar=$1 name=$2; shift 2
  dk import -m "learn-go-docker stand-in built by scripts/test-env.sh" \
    --change "LABEL $TE_LABEL" "$@" "$tar" "$name" >/dev/null || die "docker import of $tar as $name failed"
}

build_debian_slim() {
  debootstrap_tar "debian-$DEBIAN_SUITE-slim"
  import_stand_in "$TE_CACHE/rootfs/debian-$DEBIAN_SUITE-slim.tar" "$1" --change 'CMD ["bash"]'
}

build_golang() {
  local tar base=${TE_PREFIX}learn-go-docker-test-env/golang-base
  resolve_go_toolchain
  tar=$TE_CACHE/rootfs/golang-$GO_VERSION-$DEBIAN_SUITE.tar
  debootstrap_tar "golang-$GO_VERSION-$DEBIAN_SUITE" "$GOLANG_PACKAGES" add_go_toolchain
  golang_image_changes
  if [ "$(extra_ca_hash)" = none ]; then
    import_stand_in "$tar" "$1" "${GOLANG_CHANGES[@]}" --change "LABEL $EXTRA_CA_LABEL=none"
  else
    import_stand_in "$tar" "$base" "${GOLANG_CHANGES[@]}"
    with_extra_ca "$base" "$1"
    dk rmi "$base" >/dev/null
  fi
}

# build_distroless static|base nonroot|latest NAME
build_distroless() {
  local kind=$1 variant=$2 name=$3
  distroless_tar "$kind"
  local -a changes=(--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
    --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt')
  [ "$variant" = latest ] || changes+=(--change 'USER 65532' --change 'WORKDIR /home/nonroot')
  import_stand_in "$TE_CACHE/rootfs/distroless-$kind-$DEBIAN_SUITE.tar" "$name" "${changes[@]}"
}

# ensure_image NAME HOW...: present, pulled, or made. --rebuild re-makes stand-ins only.
ensure_image() {
  local name=$1 how=$2 target=$TE_PREFIX$1 old=''; shift 2
  if image_present "$target"; then
    if is_stand_in "$target" && { [ "$TE_REBUILD" = 1 ] || stale_extra_ca "$target"; }; then
      [ "$TE_REBUILD" = 1 ] || info "$target: the host's extra CA certificates changed; re-making it"
      old=$(dk image inspect "$target" --format '{{.Id}}')
    else
      ok "$target: present ($(is_stand_in "$target" && echo stand-in || echo real image))"
      return 0
    fi
  fi
  [ -n "$old" ] || ! try_pull "$name" || return 0
  case $how in
    alias) image_present "$TE_PREFIX$1" || die "cannot tag $target: $TE_PREFIX$1 is missing"
           dk tag "$TE_PREFIX$1" "$target" ;;
    build) info "building stand-in $target"; "$@" "$target" ;;
  esac
  image_present "$target" || die "$target was not created"
  ok "$target: stand-in ready ($(image_size "$target"))"
  if [ -n "$old" ] && [ "$old" != "$(dk image inspect "$target" --format '{{.Id}}')" ]; then
    dk rmi "$old" >/dev/null 2>&1 || true   # only when no other name or container still uses it
  fi
}

image_size() {
  local b
  b=$(dk image inspect "$1" --format '{{.Size}}' 2>/dev/null) || return 0
  awk -v b="$b" 'BEGIN { if (b >= 1e9) printf "%.2f GB", b / 1e9; else printf "%.1f MB", b / 1e6 }'
}

ensure_images() {
  step "Base images the lessons use"
  [ "$TE_REBUILD" != 1 ] || rm -f "$TE_CACHE"/rootfs/*.tar "$TE_CACHE"/images/*.tar
  local line lines
  mapfile -t lines < <(image_table)   # not a `while read` pipe: builders must not eat its stdin
  for line in "${lines[@]}"; do
    # shellcheck disable=SC2086 # the part after | is a command and its words
    ensure_image "${line%%|*}" ${line#*|} </dev/null
  done
}

# postgres:17-trixie from the debian stand-in and Debian's PostgreSQL (installed with apt in the
# build; host networking so it does not depend on container NAT). The result is kept with
# `docker save`, keyed by the build files, so a re-run after a prune loads it in seconds.
build_postgres() {
  local base=${TE_PREFIX}debian:trixie-slim log=$TE_WORK/postgres-build.log key saved tmp
  key=$(cat "$TE_DIR"/postgres/* | sha256sum | cut -c1-12)
  saved=$TE_CACHE/images/postgres-17-trixie-$key.tar
  tmp=learn-go-docker-test-env/postgres:$key
  if [ -s "$saved" ] && dk load -q -i "$saved" >/dev/null 2>&1; then
    info "loaded from $saved"
  else
    image_present "$base" || die "$base is needed to build $1"
    info "docker build (apt-get install postgresql inside; log: $log)"
    run_logged "$log" env DOCKER_BUILDKIT=0 "$DOCKER" build --network host --build-arg "BASE=$base" \
      --label "$TE_LABEL" -t "$tmp" "$TE_DIR/postgres" || die "building $1 failed (log: $log)"
    mkdir -p "$TE_CACHE/images"
    rm -f "$TE_CACHE"/images/postgres-*.tar
    dk save -o "$saved.tmp" "$tmp" && mv "$saved.tmp" "$saved"
  fi
  dk tag "$tmp" "$1"
  dk rmi "$tmp" >/dev/null
}
