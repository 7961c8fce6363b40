# shellcheck shell=bash
# Step 3b: the base images a lesson pins by digest (`FROM golang:1.26-trixie@sha256:...`) have a
# digest here. An engine records one only when it pulls an image, and BuildKit resolves a digest
# only through that record: a stand-in built offline has none. So the stand-ins are pulled once
# from a registry on 127.0.0.1 that serves them as they are (scripts/test-env/registry.mjs): the
# pull adds the digest and changes nothing else (same image id). Docker Hub's images come through
# a registry mirror (daemon.json, reloaded with SIGHUP), gcr.io's through /etc/hosts and a CA in
# /etc/docker/certs.d/gcr.io (mirrors only serve Docker Hub). Every change is undone at the end,
# also when the script fails. Real images pulled from a registry already have their digest.

digest_images() {
  cat <<'TXT'
golang:1.26-trixie
debian:trixie-slim
gcr.io/distroless/static-debian13:nonroot
gcr.io/distroless/static-debian13:latest
gcr.io/distroless/base-debian13:nonroot
TXT
}

# repository_path NAME: the path a registry serves NAME's repository under (library/ for Docker Hub's official images).
repository_path() {
  local repo=${1%:*}
  if [ "$(registry_of "$repo")" = docker.io ]; then
    [[ $repo == */* ]] && echo "$repo" || echo "library/$repo"
  else
    echo "${repo#*/}"
  fi
}

has_digest() { [ "$(dk image inspect "$1" --format '{{len .RepoDigests}}' 2>/dev/null || echo 0)" != 0 ]; }

TE_DIGEST_MARK='# learn-go-docker test-env (scripts/test-env/digests.sh)'
TE_DIGEST_UNDO=()

# digests_restore: undoes what ensure_base_digests changed, in reverse order (also from the EXIT trap).
digests_restore() {
  local i
  for ((i = ${#TE_DIGEST_UNDO[@]} - 1; i >= 0; i--)); do eval "${TE_DIGEST_UNDO[i]}" || true; done
  TE_DIGEST_UNDO=()
}

# with_mirrors [URL...]: /etc/docker/daemon.json as it is, with registry-mirrors set to these.
with_mirrors() {
  node -e '
    const fs = require("fs"); const [file, ...mirrors] = process.argv.slice(1);
    const config = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {};
    fs.writeFileSync(file, JSON.stringify({ ...config, "registry-mirrors": mirrors }, null, 2) + "\n");
  ' /etc/docker/daemon.json "$@"
}

reload_dockerd() {
  local pid
  pid=$(pgrep -x dockerd | head -n 1) || return 1
  kill -HUP "$pid"
  sleep 1
}

ensure_base_digests() {
  step "Digests of the base images (lessons pin them: FROM ...@sha256:...)"
  local name missing=() specs=() gcr=0
  while read -r name; do
    image_present "$TE_PREFIX$name" || continue
    if has_digest "$TE_PREFIX$name"; then ok "$name: has a digest"; else missing+=("$name"); fi
  done < <(digest_images)
  [ ${#missing[@]} -gt 0 ] || return 0
  if [ -n "$TE_PREFIX" ]; then info "images are prefixed ($TE_PREFIX): not recording digests"; return 0; fi
  if [ -n "${DOCKER_HOST:-}${DOCKER_CONTEXT:-}" ] || ! is_root || ! pgrep -x dockerd >/dev/null; then
    warn "cannot record digests for ${missing[*]} (needs root and a local dockerd): the lesson that pins bases by digest will not build here"
    return 0
  fi
  if [ -e /etc/docker/daemon.json ] && grep -q registry-mirrors /etc/docker/daemon.json; then
    warn "/etc/docker/daemon.json has registry-mirrors: not changing it; pull ${missing[*]} from a registry once to record their digests"
    return 0
  fi
  local dir=$TE_WORK/digests
  mkdir -p "$dir"
  for name in "${missing[@]}"; do
    specs+=("$name=$(repository_path "$name"):${name##*:}")
    [ "$(registry_of "$name")" != gcr.io ] || gcr=1
  done

  # A CA made here for this run only, and the registry's certificate for gcr.io.
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj '/CN=learn-go-docker test-env CA' \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" >/dev/null 2>&1 || die "openssl could not make a CA"
  openssl req -newkey rsa:2048 -nodes -subj /CN=gcr.io -keyout "$dir/tls.key" -out "$dir/tls.csr" >/dev/null 2>&1
  printf 'subjectAltName=DNS:gcr.io\nbasicConstraints=CA:FALSE\n' >"$dir/ext.cnf"
  openssl x509 -req -days 1 -in "$dir/tls.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial \
    -extfile "$dir/ext.cnf" -out "$dir/tls.crt" >/dev/null 2>&1 || die "openssl could not sign the registry's certificate"

  info "serving ${missing[*]} from a registry on 127.0.0.1 (docker save; about a minute for golang)"
  local port=443
  [ $gcr = 1 ] || port=0
  # The registry serves until its stdin closes: a fifo held by this script.
  mkfifo "$dir/stdin"
  node "$TE_DIR/registry.mjs" "$DOCKER" "$dir/tls.key" "$dir/tls.crt" "$port" "${specs[@]}" <"$dir/stdin" >"$dir/registry.out" 2>&1 &
  local registry_pid=$!
  exec {TE_DIGEST_FD}>"$dir/stdin"
  TE_DIGEST_UNDO+=("exec {TE_DIGEST_FD}>&-; wait $registry_pid 2>/dev/null")
  local i
  for i in $(seq 1 600); do
    grep -q '^ready ' "$dir/registry.out" && break
    kill -0 "$registry_pid" 2>/dev/null || { cat "$dir/registry.out" >&2; die "the registry on 127.0.0.1 did not start"; }
    sleep 1
  done
  local http_port
  http_port=$(awk '/^ready /{print $3}' "$dir/registry.out")
  [ -n "$http_port" ] || die "the registry on 127.0.0.1 did not start within 600 s"

  # Docker Hub through a mirror: daemon.json as it was, plus registry-mirrors; reloaded, not restarted.
  # A reload keeps the mirrors when the file does not name them (or is gone): the undo reloads with
  # an empty list first, then puts the file back as it was.
  if [ -e /etc/docker/daemon.json ]; then
    cp -p /etc/docker/daemon.json "$dir/daemon.json.orig"
    TE_DIGEST_UNDO+=("with_mirrors; reload_dockerd; cp -p '$dir/daemon.json.orig' /etc/docker/daemon.json")
  else
    mkdir -p /etc/docker
    TE_DIGEST_UNDO+=("with_mirrors; reload_dockerd; rm -f /etc/docker/daemon.json")
  fi
  with_mirrors "http://127.0.0.1:$http_port" || die "could not write /etc/docker/daemon.json"
  reload_dockerd || die "could not reload dockerd"
  dk info --format '{{json .RegistryConfig.Mirrors}}' | grep -q "127.0.0.1:$http_port" ||
    die "dockerd did not take the registry mirror (log: $TE_DOCKERD_LOG)"

  if [ $gcr = 1 ]; then
    echo "127.0.0.1 gcr.io $TE_DIGEST_MARK" >>/etc/hosts
    # Written in place (not sed -i's rename): /etc/hosts may be a bind mount.
    TE_DIGEST_UNDO+=("grep -vF '$TE_DIGEST_MARK' /etc/hosts >'$dir/hosts' && cat '$dir/hosts' >/etc/hosts")
    [ -d /etc/docker/certs.d/gcr.io ] || TE_DIGEST_UNDO+=("rmdir /etc/docker/certs.d/gcr.io 2>/dev/null")
    mkdir -p /etc/docker/certs.d/gcr.io
    cp "$dir/ca.crt" /etc/docker/certs.d/gcr.io/learn-go-docker-test-env.crt
    TE_DIGEST_UNDO+=("rm -f /etc/docker/certs.d/gcr.io/learn-go-docker-test-env.crt")
  fi

  local failed=()
  for name in "${missing[@]}"; do
    local before after
    before=$(dk image inspect "$name" --format '{{.Id}}')
    if run_logged "$dir/pull.log" dk pull "$name"; then
      after=$(dk image inspect "$name" --format '{{.Id}}')
      [ "$before" = "$after" ] || die "pulling $name from the local registry changed its image ($before -> $after)"
      ok "$name: $(dk image inspect "$name" --format '{{index .RepoDigests 0}}')"
    else
      failed+=("$name")
    fi
  done
  digests_restore
  [ ${#failed[@]} = 0 ] || die "could not record the digests of ${failed[*]} (see the pull output above)"
}
