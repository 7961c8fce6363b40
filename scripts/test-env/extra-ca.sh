# shellcheck shell=bash
# CA certificates the host trusts on top of Debian's (/usr/local/share/ca-certificates). Where the
# network intercepts TLS (a company or sandbox egress proxy), containers must trust them too or
# `go mod download` fails with "x509: certificate signed by unknown authority". The golang
# stand-in gets them in a layer of its own, labelled with their hash so a change is noticed.

EXTRA_CA_DIR=${TEST_ENV_EXTRA_CA_DIR:-/usr/local/share/ca-certificates}
EXTRA_CA_LABEL=learn-go-docker.stand-in.extra-ca

extra_ca_files() { find "$EXTRA_CA_DIR" -type f -name '*.crt' 2>/dev/null | LC_ALL=C sort; }

extra_ca_hash() {
  local files
  files=$(extra_ca_files)
  if [ -z "$files" ]; then echo none; return; fi
  # shellcheck disable=SC2086 # one path a line, no spaces in them
  cat $files | sha256sum | cut -c1-12
}

# stale_extra_ca NAME: true when a stand-in carries other extra CAs than the host has now.
stale_extra_ca() {
  local have
  have=$(dk image inspect "$1" --format "{{index .Config.Labels \"$EXTRA_CA_LABEL\"}}" 2>/dev/null)
  [ -n "$have" ] && [ "$have" != "$(extra_ca_hash)" ]
}

# with_extra_ca BASE NAME: NAME = BASE + the host's extra CAs in the trust store.
with_extra_ca() {
  local base=$1 name=$2 ctx=$TE_WORK/extra-ca hash f
  hash=$(extra_ca_hash)
  rm -rf "$ctx" && mkdir -p "$ctx/certs"
  while IFS= read -r f; do cp "$f" "$ctx/certs/"; done < <(extra_ca_files)
  printf 'FROM %s\nCOPY certs/ /usr/local/share/ca-certificates/\nRUN update-ca-certificates >/dev/null\nLABEL %s=%s\n' \
    "$base" "$EXTRA_CA_LABEL" "$hash" >"$ctx/Dockerfile"
  info "adding the host's extra CA certificates ($(extra_ca_files | wc -l) from $EXTRA_CA_DIR)"
  run_logged "$TE_WORK/extra-ca.log" env DOCKER_BUILDKIT=0 "$DOCKER" build -t "$name" "$ctx" \
    || die "adding CA certificates to $name failed (log: $TE_WORK/extra-ca.log)"
  rm -rf "$ctx"
}
