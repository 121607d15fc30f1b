#!/usr/bin/env bash
# Builds the images a test cluster runs besides ours, which no registry can give us here, under
# the names that the charts and the cluster's add-ons use:
#   images/scripts/build-stand-ins.sh ROLE=IMAGE ...
# ROLE is one of: postgres, redis (Containerfiles in images/stand-ins/, on the local Debian
# base), pause (images/stand-ins/pause, built here), busybox (Debian's busybox-static), and the
# Go programs `make tools` builds: minio, coredns, local-path-provisioner, metrics-server.
# An image is rebuilt only when its recipe (files and binaries) changed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
images=$(cd "$here/.." && pwd)
repo=$(cd "$images/.." && pwd)
# shellcheck source=images/scripts/common.sh
source "$here/common.sh"
# shellcheck source=tools/versions.env
source "$repo/tools/versions.env"

readonly STAND_INS="$images/stand-ins"

# go_binary NAME: a binary from the cache of `make tools`.
go_binary() {
  local build=$1 version=$2 binary=${3:-$1} path
  path="$HELPDESK_CACHE/go/$build-$version/bin/$binary"
  [ -x "$path" ] || { log "$path is missing: run \`make tools\`"; exit 1; }
  printf '%s\n' "$path"
}

# pause_binary: the sandbox program, built from images/stand-ins/pause (seconds; cached by source).
pause_binary() {
  local key out
  key=$(cat "$STAND_INS"/pause/* | sha256sum | cut -c1-16)
  out="$HELPDESK_CACHE/images/pause-$key"
  if [ ! -x "$out" ]; then
    mkdir -p "$HELPDESK_CACHE/images"
    (cd "$STAND_INS/pause" && CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o "$out.tmp" .)
    mv "$out.tmp" "$out"
  fi
  printf '%s\n' "$out"
}

# binary_image TAG BINARY ENTRYPOINT_JSON [BUILDAH CONFIG ARGS...]: an image holding one static
# binary (and nothing else), built unless TAG already holds this recipe.
binary_image() {
  local tag=$1 binary=$2 entrypoint=$3 recipe container
  shift 3
  recipe=$({ sha256sum "$binary" | cut -d' ' -f1; printf '%s\n' "$entrypoint" "$@"; } | sha256sum | cut -c1-16)
  [ "$(image_label "$tag" dev.helpdesk.recipe)" != "$recipe" ] || return 0
  local previous
  previous=$(podman image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)
  container=$(buildah from --pull=never scratch)
  buildah copy --quiet --chmod 0755 "$container" "$binary" "/usr/bin/$(basename "$entrypoint" | tr -d '[]"')" >/dev/null
  buildah config --entrypoint "$entrypoint" --cmd '' --user 65532:65532 \
    --label "dev.helpdesk.recipe=$recipe" "$@" "$container"
  buildah commit --quiet --rm "$container" "$tag" >/dev/null
  log "built $tag"
  remove_if_replaced "$tag" "$previous"
}

# busybox_image TAG: Debian's static busybox with its applets linked, for helper pods (the
# local-path provisioner creates and removes volume directories with it).
busybox_image() {
  local tag=$1 recipe container mount
  recipe=$(sha256sum /bin/busybox | cut -c1-16)
  [ "$(image_label "$tag" dev.helpdesk.recipe)" != "$recipe" ] || return 0
  container=$(buildah from --pull=never scratch)
  mount=$(buildah mount "$container")
  mkdir -p "$mount/bin" "$mount/tmp"
  cp /bin/busybox "$mount/bin/busybox"
  chroot "$mount" /bin/busybox --install -s /bin
  buildah umount "$container" >/dev/null
  buildah config --cmd '["sh"]' --env PATH=/bin --label "dev.helpdesk.recipe=$recipe" "$container"
  buildah commit --quiet --rm "$container" "$tag" >/dev/null
  log "built $tag"
}

build_role() {
  local role=$1 tag=$2
  case "$role" in
  postgres | redis)
    build_unless_current "$tag" "$STAND_INS/$role/Containerfile" "$STAND_INS/$role" \
      --build-arg "DEBIAN_BASE=$DEBIAN_BASE" ;;
  pause) binary_image "$tag" "$(pause_binary)" '["/usr/bin/pause"]' ;;
  busybox) busybox_image "$tag" ;;
  minio)
    binary_image "$tag" "$(go_binary minio "$MINIO_VERSION")" '["/usr/bin/minio"]' \
      --user 1000:1000 --env HOME=/tmp ;;
  coredns) binary_image "$tag" "$(go_binary coredns "$COREDNS_VERSION")" '["/usr/bin/coredns"]' ;;
  local-path-provisioner)
    binary_image "$tag" "$(go_binary local-path-provisioner "$LOCAL_PATH_PROVISIONER_VERSION")" \
      '["/usr/bin/local-path-provisioner"]' ;;
  metrics-server)
    binary_image "$tag" "$(go_binary metrics-server "$METRICS_SERVER_VERSION")" \
      '["/usr/bin/metrics-server"]' ;;
  *) log "unknown stand-in '$role'"; exit 2 ;;
  esac
}

main() {
  [ $# -gt 0 ] || { log "usage: build-stand-ins.sh ROLE=IMAGE ..."; exit 2; }
  "$here/build-base.sh"
  local pair
  for pair in "$@"; do
    build_role "${pair%%=*}" "${pair#*=}"
  done
}

main "$@"
