#!/usr/bin/env bash
# Builds the local base images that stand in for the public ones, which cannot be pulled here:
#   localhost/helpdesk/debian:bookworm  for debian:bookworm-slim (debootstrap minbase, slimmed)
#   localhost/helpdesk/node:24          for node:24-bookworm-slim (+ Node from the npm `node` package)
#   localhost/helpdesk/nginx:bookworm   for nginxinc/nginx-unprivileged (+ Debian's nginx)
# The slimmed rootfs tarball is cached in $HELPDESK_CACHE/images, keyed by everything that
# shapes it, so a new machine or a wiped container store rebuilds in seconds, not minutes.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
images=$(cd "$here/.." && pwd)
repo=$(cd "$images/.." && pwd)
# shellcheck source=images/scripts/common.sh
source "$here/common.sh"

readonly SUITE=bookworm
readonly MIRROR=http://deb.debian.org/debian
readonly CACHE="$HELPDESK_CACHE/images"

# rootfs_key: a digest of everything that shapes the rootfs.
rootfs_key() {
  {
    printf '%s %s\n' "$SUITE" "$MIRROR"
    declare -f configure_apt upgrade slim_rootfs
    cat "$images"/base/debian/*
  } | sha256sum | cut -c1-16
}

# configure_apt DIR: bookworm with its updates and security suites; the apt and dpkg settings
# that keep every later install in the images as lean as debian:bookworm-slim.
configure_apt() {
  local rootfs=$1
  install -m 0644 "$images/base/debian/dpkg-slim.cfg" "$rootfs/etc/dpkg/dpkg.cfg.d/helpdesk-slim"
  install -m 0644 "$images/base/debian/apt-slim.conf" "$rootfs/etc/apt/apt.conf.d/helpdesk-slim"
  install -m 0644 "$images/base/debian/debian.sources" "$rootfs/etc/apt/sources.list.d/debian.sources"
  rm -f "$rootfs/etc/apt/sources.list"
}

# upgrade DIR: debootstrap installs the point release; the security fixes come on top.
upgrade() {
  local rootfs=$1
  cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
  chroot "$rootfs" sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get -y -qq upgrade' \
    >"$rootfs.upgrade.log" 2>&1 || { cat "$rootfs.upgrade.log" >&2; exit 1; }
  rm "$rootfs/etc/resolv.conf"
}

# slim_rootfs DIR: what debian:bookworm-slim leaves out.
slim_rootfs() {
  local rootfs=$1
  find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$rootfs"/usr/share/{man,info,locale,groff,lintian,linda}/*
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/var/cache/debconf/*-old
  rm -rf "$rootfs"/var/log/* "$rootfs"/dev/* "$rootfs"/tmp/* "$rootfs"/run/* "$rootfs"/root/.[!.]*
  : >"$rootfs/etc/machine-id"
}

# rootfs_tarball: path of the cached, slimmed rootfs; debootstraps it when missing.
rootfs_tarball() {
  local key tarball work
  key=$(rootfs_key)
  tarball="$CACHE/debian-$SUITE-rootfs-$key.tar"
  if [ -f "$tarball" ]; then
    printf '%s\n' "$tarball"
    return
  fi
  log "debootstrap $SUITE (first time only)"
  work=$(mktemp -d "$CACHE/build.rootfs.XXXXXX")
  debootstrap --variant=minbase "$SUITE" "$work/rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 ||
    { cat "$work/debootstrap.log" >&2; exit 1; }
  configure_apt "$work/rootfs"
  upgrade "$work/rootfs"
  slim_rootfs "$work/rootfs"
  tar --numeric-owner -C "$work/rootfs" -cf "$work/rootfs.tar" .
  find "$CACHE" -maxdepth 1 -name "debian-$SUITE-rootfs-*.tar" -delete
  mv "$work/rootfs.tar" "$tarball"
  rm -rf "$work"
  printf '%s\n' "$tarball"
}

# import_rootfs TARBALL: the Debian base image, unless it already holds this tarball.
import_rootfs() {
  local tarball=$1 key previous
  key=$(basename "$tarball" .tar)
  [ "$(image_label "$DEBIAN_BASE" dev.helpdesk.rootfs)" != "$key" ] || return 0
  previous=$(podman image inspect --format '{{.Id}}' "$DEBIAN_BASE" 2>/dev/null || true)
  podman import --quiet --change 'CMD ["bash"]' --change "LABEL dev.helpdesk.rootfs=$key" \
    "$tarball" "$DEBIAN_BASE" >/dev/null
  log "imported $DEBIAN_BASE from $tarball"
  remove_if_replaced "$DEBIAN_BASE" "$previous"
}

# node_context: a build context with the project's Node 24 binary and the npm the project
# installs with, unpacked from its registry tarball (cached).
node_context() {
  local node_version npm_version context
  node_version=$(sed -n 's/^\s*"version": "\(.*\)",$/\1/p' "$repo/node_modules/node/package.json")
  npm_version=$(npm --version)
  case "$node_version" in
  24.*) ;;
  *) log "node_modules/node is '$node_version', not Node 24: run \`make deps\`"; exit 1 ;;
  esac
  context="$CACHE/node-$node_version-npm-$npm_version"
  if [ ! -x "$context/node" ]; then
    local work
    work=$(mktemp -d "$CACHE/build.node.XXXXXX")
    (cd "$work" && npm pack --silent "npm@$npm_version" >/dev/null)
    mkdir "$work/context"
    tar -xzf "$work/npm-$npm_version.tgz" -C "$work/context"
    mv "$work/context/package" "$work/context/npm"
    cp "$repo/node_modules/node/bin/node" "$work/context/node"
    find "$CACHE" -maxdepth 1 -name 'node-*-npm-*' -exec rm -rf {} +
    mv "$work/context" "$context"
    rm -rf "$work"
  fi
  printf '%s\n' "$context"
}

main() {
  mkdir -p "$CACHE"
  # Concurrent runs (a developer's beside a test run) wait for each other.
  exec 9>"$CACHE/.build.lock"
  flock 9
  find "$CACHE" -maxdepth 1 -name 'build.*' -exec rm -rf {} +
  # Assignments, so that a failure in either stops the script (set -e).
  local tarball node
  tarball=$(rootfs_tarball)
  node=$(node_context)
  import_rootfs "$tarball"
  build_unless_current "$NODE_BASE" "$images/base/node24.Containerfile" "$node" \
    --build-arg "DEBIAN_BASE=$DEBIAN_BASE"
  build_unless_current "$NGINX_BASE" "$images/base/nginx.Containerfile" "$images/base/nginx" \
    --build-arg "DEBIAN_BASE=$DEBIAN_BASE"
}

main "$@"
