#!/usr/bin/env bash
# Whether this host can run the real-cluster tier: it needs root with the rights to create
# network namespaces, bridges, mounts and cgroups. Says why in one line when it cannot;
# HELPDESK_SKIP_CLUSTER=1 turns that into an explicit, visible skip.
set -uo pipefail

problem=
if [ "$(id -u)" -ne 0 ]; then
  problem="it needs root (running as uid $(id -u))"
elif ! unshare --net --mount true 2>/dev/null; then
  problem="this host refuses new network or mount namespaces (unshare --net --mount)"
elif [ ! -w /sys/fs/cgroup/memory ] && [ ! -w /sys/fs/cgroup/cgroup.procs ]; then
  problem="the cgroup hierarchy under /sys/fs/cgroup is not writable"
fi

if [ -z "$problem" ]; then exit 0; fi
if [ "${HELPDESK_SKIP_CLUSTER:-}" = 1 ]; then
  echo "real-cluster tier skipped (HELPDESK_SKIP_CLUSTER=1): $problem"
  exit 0
fi
echo "real-cluster tier cannot run here: $problem; set HELPDESK_SKIP_CLUSTER=1 to skip it" >&2
exit 1
