#!/usr/bin/env bash
# Installs and configures buildah, podman and debootstrap for building and running the
# images on this kind of machine, idempotently: Debian's packages, the runc runtime (crun
# fails on cgroup v1 hybrid hosts), the vfs storage driver (no overlay inside this sandbox) and
# no default ulimits (the sandbox refuses to raise them).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

log() { printf '[images] %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

readonly CONTAINERS_DROP_IN=/etc/containers/containers.conf.d/50-helpdesk.conf
readonly STORAGE_CONF=/etc/containers/storage.conf

containers_settings() {
  cat <<'CONF'
# Written by helpdesk images/scripts/setup-containers.sh.
[containers]
default_ulimits = []

[engine]
runtime = "runc"
CONF
}

storage_settings() {
  cat <<'CONF'
# Written by helpdesk images/scripts/setup-containers.sh.
[storage]
driver = "vfs"
runroot = "/run/containers/storage"
graphroot = "/var/lib/containers/storage"
CONF
}

# write_if_changed FILE: stdin becomes FILE unless FILE already holds exactly that.
write_if_changed() {
  local file=$1 wanted
  wanted=$(cat)
  if [ -f "$file" ] && [ "$(cat "$file")" = "$wanted" ]; then return; fi
  as_root mkdir -p "$(dirname "$file")"
  printf '%s\n' "$wanted" | as_root tee "$file" >/dev/null
  log "wrote $file"
}

configure_storage() {
  # An existing store keeps its driver; a different one would make every command fail later
  # with a less helpful message, so say it now and leave the administrator's file alone.
  if [ -f "$STORAGE_CONF" ] && ! grep -q 'Written by helpdesk' "$STORAGE_CONF"; then
    grep -Eq '^\s*driver\s*=\s*"vfs"' "$STORAGE_CONF" && return
    log "$STORAGE_CONF exists and does not select the vfs driver; set driver = \"vfs\" there"
    exit 1
  fi
  storage_settings | write_if_changed "$STORAGE_CONF"
}

main() {
  "$repo/tools/install.sh" debian buildah podman runc debootstrap
  containers_settings | write_if_changed "$CONTAINERS_DROP_IN"
  configure_storage
}

main "$@"
