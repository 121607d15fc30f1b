#!/usr/bin/env bash
# `make images`: builds ghcr.io/helpdesk/{api,web,operator}:<version> from images/<name>/Containerfile
# with buildah, on the local bases (images/scripts/build-base.sh), since no registry can be
# pulled here. Usage: images/scripts/build.sh [api|web|operator ...] (default: all three).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
images=$(cd "$here/.." && pwd)
repo=$(cd "$images/.." && pwd)
# shellcheck source=images/scripts/common.sh
source "$here/common.sh"

# revision: the commit, marked when the working tree differs from it.
revision() {
  local commit
  commit=$(git -C "$repo" rev-parse HEAD)
  if [ -n "$(git -C "$repo" status --porcelain --untracked-files=normal)" ]; then
    commit="$commit-dirty"
  fi
  printf '%s\n' "$commit"
}

# registry_trust: buildah arguments that let npm inside a build trust what the host's npm
# trusts (its configured `cafile`), mounted read-only into the build steps, never copied.
registry_trust() {
  local cafile
  cafile=$(npm config get cafile)
  [ -n "$cafile" ] && [ "$cafile" != null ] && [ "$cafile" != undefined ] || return 0
  printf '%s\n' --volume "$cafile:/run/host-ca.crt:ro" --build-arg NODE_EXTRA_CA_CERTS=/run/host-ca.crt
}

main() {
  local names=("$@") version revision name
  [ ${#names[@]} -gt 0 ] || names=(api web operator)
  for name in "${names[@]}"; do
    [ -f "$images/$name/Containerfile" ] || { log "no image named '$name'"; exit 2; }
  done
  "$here/build-base.sh"
  version=$(project_version)
  revision=$(revision)
  local trust=()
  mapfile -t trust < <(registry_trust)
  for name in "${names[@]}"; do
    build_image "$(image_name "$name")" "$images/$name/Containerfile" "$repo" \
      --ignorefile "$images/containerignore" \
      --build-arg "NODE_BASE=$NODE_BASE" --build-arg "DEBIAN_BASE=$DEBIAN_BASE" \
      --build-arg "NGINX_BASE=$NGINX_BASE" \
      --build-arg "VERSION=$version" --build-arg "REVISION=$revision" "${trust[@]}"
  done
}

main "$@"
