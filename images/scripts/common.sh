# Shared by the images/ scripts: names of the local base images and how every image is built.
# shellcheck shell=bash

# shellcheck source=tools/cache.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../tools/cache.sh"

readonly DEBIAN_BASE=localhost/helpdesk/debian:bookworm
readonly NODE_BASE=localhost/helpdesk/node:24
readonly NGINX_BASE=localhost/helpdesk/nginx:bookworm

log() { printf '[images] %s\n' "$*" >&2; }

# build_image TAG CONTAINERFILE CONTEXT [BUILDAH ARGS...]
# Without buildah's layer cache: with the vfs driver every cached step is a full copy of the
# root filesystem, which made cached builds here slower than building each stage afresh (about
# 2 minutes against 50 seconds for the API image). Host network: the build steps reach the
# Debian and npm registries without bridges or NAT rules on the build host. Never pull: every
# base is local. The image the tag named before is removed, so rebuilds do not pile up.
build_image() {
  local tag=$1 containerfile=$2 context=$3 started=$SECONDS previous
  shift 3
  previous=$(podman image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)
  buildah bud --quiet --network host --pull=never \
    --file "$containerfile" --tag "$tag" "$@" "$context" >/dev/null
  log "built $tag in $((SECONDS - started))s"
  remove_if_replaced "$tag" "$previous"
}

# remove_if_replaced TAG PREVIOUS_ID: drops the old image once TAG names another one; an image
# a container still uses stays.
remove_if_replaced() {
  local tag=$1 previous=$2
  [ -n "$previous" ] || return 0
  [ "$(podman image inspect --format '{{.Id}}' "$tag")" != "$previous" ] || return 0
  podman rmi "$previous" >/dev/null 2>&1 || true
}

# image_label IMAGE LABEL: the label's value, empty when the image or the label is missing.
image_label() {
  podman image inspect --format "{{index .Labels \"$2\"}}" "$1" 2>/dev/null || true
}

# The version every image is tagged with: the root package.json's.
project_version() {
  sed -n 's/^  "version": "\(.*\)",$/\1/p' "$(dirname "${BASH_SOURCE[0]}")/../../package.json"
}

# image_name NAME: the published name of one of the images (CONTRIBUTING.md, "Images").
image_name() {
  printf 'ghcr.io/helpdesk/%s:%s\n' "$1" "$(project_version)"
}

# build_unless_current TAG CONTAINERFILE CONTEXT [BUILDAH ARGS...]: builds unless TAG was built from
# the same recipe: the Containerfile, the context's files and the Debian base beneath.
build_unless_current() {
  local tag=$1 containerfile=$2 context=$3 recipe
  shift 3
  recipe=$(
    {
      cat "$containerfile"
      (cd "$context" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
      podman image inspect --format '{{.Id}}' "$DEBIAN_BASE"
    } | sha256sum | cut -c1-16
  )
  if [ "$(image_label "$tag" dev.helpdesk.recipe)" = "$recipe" ]; then return; fi
  build_image "$tag" "$containerfile" "$context" --label "dev.helpdesk.recipe=$recipe" "$@"
}
