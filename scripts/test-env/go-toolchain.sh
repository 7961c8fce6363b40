# shellcheck shell=bash
# The Go toolchain the golang:1.26 stand-in carries: the host's when it is a 1.26.x, else the
# newest go1.26.x toolchain module from the Go module proxy (what the go command itself uses).

GO_SERIES=1.26
GO_DEFAULT_PROXY='https://proxy.golang.org,direct'

# Sets GO_VERSION (e.g. 1.26.8) and GO_ROOT_SRC (a GOROOT to copy).
resolve_go_toolchain() {
  have go || die "Go is needed to build the golang:$GO_SERIES stand-in (its toolchain is copied from the host)"
  local v arch mv
  v=$(GOTOOLCHAIN=local go env GOVERSION)
  if [[ $v == "go$GO_SERIES" || $v == go$GO_SERIES.* ]]; then
    GO_VERSION=${v#go}
    GO_ROOT_SRC=$(GOTOOLCHAIN=local go env GOROOT)
    return 0
  fi
  arch=$(GOTOOLCHAIN=local go env GOARCH)
  info "host Go is $v, not $GO_SERIES.x: taking the go$GO_SERIES toolchain module from the Go module proxy"
  mv=$(GOTOOLCHAIN=local GOFLAGS='' go list -m -versions golang.org/toolchain | tr ' ' '\n' \
    | grep -E "^v0\.0\.1-go$GO_SERIES\.[0-9]+\.linux-$arch\$" | sort -V | tail -n 1)
  [ -n "$mv" ] || die "no go$GO_SERIES.x toolchain for linux-$arch on the Go module proxy"
  GO_ROOT_SRC=$(GOTOOLCHAIN=local GOFLAGS='' go mod download -json "golang.org/toolchain@$mv" \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
  [ -x "$GO_ROOT_SRC/bin/go" ] || die "could not download golang.org/toolchain@$mv"
  GO_VERSION=${mv#v0.0.1-go}
  GO_VERSION=${GO_VERSION%".linux-$arch"}
}

# Hook for debootstrap_tar: the toolchain at /usr/local/go and a world-writable GOPATH, as the
# real image has them.
add_go_toolchain() {
  local root=${1:?}
  mkdir -p "${root:?}/usr/local"
  cp -a "$GO_ROOT_SRC" "${root:?}/usr/local/go"
  chmod -R u+w "${root:?}/usr/local/go"
  rm -rf "${root:?}"/usr/local/go/{pkg/obj,pkg/bootstrap,.git,.gitattributes,.github}
  mkdir -p "${root:?}/go/src" "${root:?}/go/bin"
  chmod -R 1777 "${root:?}/go"
}

# --change arguments for `docker import` that give the real image's configuration. A host GOPROXY /
# GOSUMDB that is not the default (a company mirror) is carried over, or containers could not
# fetch modules where the host can; a loopback one is not (it would not answer in a container).
golang_image_changes() {
  GOLANG_CHANGES=(
    --change "ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    --change "ENV GOLANG_VERSION=$GO_VERSION"
    --change "ENV GOTOOLCHAIN=local"
    --change "ENV GOPATH=/go"
  )
  local proxy sumdb
  proxy=$(GOTOOLCHAIN=local go env GOPROXY 2>/dev/null || true)
  sumdb=$(GOTOOLCHAIN=local go env GOSUMDB 2>/dev/null || true)
  if [ -n "$proxy" ] && [ "$proxy" != "$GO_DEFAULT_PROXY" ]; then
    if [[ $proxy =~ (localhost|127\.[0-9]+\.[0-9]+\.[0-9]+|\[::1\]) ]]; then
      warn "host GOPROXY=$proxy is a loopback address; the golang stand-in keeps the default"
    else
      info "carrying the host's GOPROXY=$proxy into the golang stand-in"
      GOLANG_CHANGES+=(--change "ENV GOPROXY=$proxy")
      [ -z "$sumdb" ] || [ "$sumdb" = sum.golang.org ] || GOLANG_CHANGES+=(--change "ENV GOSUMDB=$sumdb")
    fi
  fi
  GOLANG_CHANGES+=(--change "WORKDIR /go" --change 'CMD ["bash"]')
}
