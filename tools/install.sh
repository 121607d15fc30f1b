#!/usr/bin/env bash
# `make tools`: installs every non-npm tool the tests need, idempotently.
#   - Debian packages (Postgres 15, Redis 7, nginx, chromium, prometheus for promtool,
#     Dovecot, and the node's runc, CNI plugins and packet filters) when missing.
#   - helm, Kubernetes (apiserver, kubectl, kubelet, kube-proxy, scheduler, controller-manager),
#     etcd, MinIO, kube-score, Mailpit and the real-cluster tier's containerd, CoreDNS,
#     local-path-provisioner, metrics-server and kube-router, built from the Go module proxy
#     into $HELPDESK_CACHE/go/<build>-<version>/bin. A finished build is never redone; a build
#     that was interrupted leaves only a scratch directory that the next run replaces.
#   - schemathesis (the API fuzz tier) and checkov (the chart scans) from PyPI, each into its
#     own virtualenv, $HELPDESK_CACHE/python/<tool>-<version>.
# Versions live in tools/versions.env, nowhere else.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tools/versions.env
source "$here/versions.env"
# shellcheck source=tools/cache.sh
source "$here/cache.sh"

log() { printf '[tools] %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# install_debian_packages [PACKAGE...]: the given packages, or every package the tests need,
# when missing.
install_debian_packages() {
  local wanted=${*:-$DEBIAN_PACKAGES $CLUSTER_DEBIAN_PACKAGES} missing=() pkg
  for pkg in $wanted; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    log "Debian packages present"
    return
  fi
  log "installing Debian packages: ${missing[*]}"
  # Package installs must not start system-wide services: tests run private instances.
  local policy=/usr/sbin/policy-rc.d created_policy=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null
    as_root chmod +x "$policy"
    created_policy=1
  fi
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  [ -z "$created_policy" ] || as_root rm -f "$policy"
}

# built NAME VERSION: true (and says so) when the cache already holds that build (its
# directory appears only once every binary of the build is in place).
built() {
  [ -d "$HELPDESK_CACHE/go/$1-$2/bin" ] && log "$1 $2 cached"
}

# go_build NAME VERSION PACKAGES [LDFLAGS] [REPLACE_LINES]
# Builds the space-separated PACKAGES (of one module, at VERSION) into one cache entry, in a single
# `go build` so that they share its compile work, inside a throw-away wrapper module, so the
# dependency's own replace directives (which break `go install pkg@version`) do not apply.
# One package becomes the binary NAME; several keep their command names.
go_build() {
  local name=$1 version=$2 packages=$3 ldflags=${4:-} replaces=${5:-}
  local dest="$HELPDESK_CACHE/go/$name-$version"
  log "building $name $version (first time only; this takes a while)"
  local work
  work=$(mktemp -d "$HELPDESK_CACHE/build.$name.XXXXXX")
  (
    cd "$work"
    go mod init "helpdesk.local/tools/$name" >/dev/null 2>&1
    [ -z "$replaces" ] || printf '%s\n' "$replaces" >>go.mod
    local package wanted=()
    for package in $packages; do wanted+=("$package@$version"); done
    go get "${wanted[@]}" >go-get.log 2>&1 || { cat go-get.log >&2; exit 1; }
    mkdir -p out/bin
    local output=out/bin/
    [ "$packages" = "${packages%% *}" ] && output=out/bin/$name
    # shellcheck disable=SC2086 # PACKAGES is a list.
    CGO_ENABLED=0 go build -trimpath -ldflags "-s -w $ldflags" -o "$output" $packages
  )
  rm -rf "$dest"
  mkdir -p "$(dirname "$dest")"
  mv "$work/out" "$dest"
  rm -rf "$work"
  log "$name $version built"
}

# The go.mod of MODULE@VERSION, from the module cache (downloaded when missing).
module_gomod() {
  go mod download -json "$1" | sed -n 's/^\s*"GoMod": "\(.*\)",$/\1/p'
}

# helm derives the Kubernetes version it renders for from its client-go dependency at
# build time; an unstamped build assumes 1.20.
helm_ldflags() {
  local minor
  minor=$(sed -n 's#^\s*k8s.io/client-go v0\.\([0-9]*\)\..*#\1#p' "$(module_gomod "helm.sh/helm/v3@$HELM_VERSION")")
  printf -- '-X helm.sh/helm/v3/internal/version.version=%s -X helm.sh/helm/v3/internal/version.gitTreeState=clean' "$HELM_VERSION"
  printf -- ' -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=%s' "$minor"
  printf -- ' -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=%s' "$minor"
}

# k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them with local
# paths; a wrapper module must pin each one to the matching published v0.N.x release.
kubernetes_replaces() {
  local staging_version=v0.${KUBERNETES_VERSION#v1.}
  sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#\1#p' "$(module_gomod "k8s.io/kubernetes@$KUBERNETES_VERSION")" |
    while read -r staging; do printf 'replace %s => %s %s\n' "$staging" "$staging" "$staging_version"; done
}

kubernetes_ldflags() {
  local minor
  minor=$(echo "$KUBERNETES_VERSION" | cut -d. -f2)
  printf -- '-X k8s.io/component-base/version.gitVersion=%s -X k8s.io/component-base/version.gitMajor=1' "$KUBERNETES_VERSION"
  printf -- ' -X k8s.io/component-base/version.gitMinor=%s -X k8s.io/component-base/version.gitTreeState=clean' "$minor"
  printf -- ' -X k8s.io/client-go/pkg/version.gitVersion=%s' "$KUBERNETES_VERSION"
}

build_go_tools() {
  command -v go >/dev/null || { log "Go >= 1.23 is required to build helm, Kubernetes, etcd, MinIO and Mailpit"; exit 1; }
  mkdir -p "$HELPDESK_CACHE/go"
  # Two concurrent runs (a test run beside a developer's) wait for each other; then the
  # scratch directories of interrupted builds can go.
  exec 9>"$HELPDESK_CACHE/.build.lock"
  flock 9
  find "$HELPDESK_CACHE" -maxdepth 1 -name 'build.*' -exec rm -rf {} +
  built helm "$HELM_VERSION" ||
    go_build helm "$HELM_VERSION" helm.sh/helm/v3/cmd/helm "$(helm_ldflags)"
  built etcd "$ETCD_VERSION" ||
    go_build etcd "$ETCD_VERSION" go.etcd.io/etcd/server/v3
  local cmd components=()
  for cmd in kube-apiserver kubectl kubelet kube-proxy kube-scheduler kube-controller-manager; do
    components+=("k8s.io/kubernetes/cmd/$cmd")
  done
  built kubernetes "$KUBERNETES_VERSION" ||
    go_build kubernetes "$KUBERNETES_VERSION" "${components[*]}" \
      "$(kubernetes_ldflags)" "$(kubernetes_replaces)"
  built minio "$MINIO_VERSION" ||
    go_build minio "$MINIO_VERSION" github.com/minio/minio
  built kube-score "$KUBE_SCORE_VERSION" ||
    go_build kube-score "$KUBE_SCORE_VERSION" github.com/zegl/kube-score/cmd/kube-score \
      "-X main.version=$KUBE_SCORE_VERSION"
  built mailpit "$MAILPIT_VERSION" ||
    go_build mailpit "$MAILPIT_VERSION" github.com/axllent/mailpit
  build_cluster_tools
}

# The real-cluster tier's node software (harness/src/cluster/).
build_cluster_tools() {
  local containerd=github.com/containerd/containerd/v2
  built containerd "$CONTAINERD_VERSION" ||
    go_build containerd "$CONTAINERD_VERSION" \
      "$containerd/cmd/containerd $containerd/cmd/ctr $containerd/cmd/containerd-shim-runc-v2"
  built coredns "$COREDNS_VERSION" ||
    go_build coredns "$COREDNS_VERSION" github.com/coredns/coredns
  built local-path-provisioner "$LOCAL_PATH_PROVISIONER_VERSION" ||
    go_build local-path-provisioner "$LOCAL_PATH_PROVISIONER_VERSION" \
      github.com/rancher/local-path-provisioner
  built metrics-server "$METRICS_SERVER_VERSION" ||
    go_build metrics-server "$METRICS_SERVER_VERSION" sigs.k8s.io/metrics-server/cmd/metrics-server
  built kube-router "$KUBE_ROUTER_VERSION" ||
    go_build kube-router "$KUBE_ROUTER_VERSION" github.com/cloudnativelabs/kube-router/v2/cmd/kube-router
}

# python_tool NAME VERSION: the PyPI package NAME==VERSION in its own virtualenv. A
# virtualenv's scripts name its path, so it is made in place; a `.complete` stamp tells a
# finished one from an interrupted one, which the next run replaces.
python_tool() {
  local name=$1 version=$2 dest="$HELPDESK_CACHE/python/$1-$2"
  if [ -e "$dest/.complete" ]; then
    log "$name $version cached"
    return
  fi
  log "installing $name $version from PyPI (first time only)"
  rm -rf "$dest"
  python3 -m venv "$dest"
  "$dest/bin/pip" install --quiet --disable-pip-version-check "$name==$version" >&2
  touch "$dest/.complete"
  log "$name $version installed"
}

install_python_tools() {
  command -v python3 >/dev/null || { log "python3 (with venv) is required for schemathesis and checkov"; exit 1; }
  mkdir -p "$HELPDESK_CACHE/python"
  # One installer at a time: two runs must not build one virtualenv together.
  exec 8>"$HELPDESK_CACHE/.python.lock"
  flock 8
  python_tool schemathesis "$SCHEMATHESIS_VERSION"
  python_tool checkov "$CHECKOV_VERSION"
}

main() {
  case "${1:-all}" in
    debian) shift; install_debian_packages "$@" ;;
    go) build_go_tools ;;
    python) install_python_tools ;;
    all) install_debian_packages; build_go_tools; install_python_tools ;;
    *) log "usage: tools/install.sh [all|debian [PACKAGE...]|go|python]"; exit 2 ;;
  esac
}

main "$@"
