#!/usr/bin/env bash
# Puts every tool from `make tools` on PATH. Source it (`. tools/env.sh`) or run a command
# through it (`tools/env.sh helm version`).
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tools/versions.env
source "$here/versions.env"
# shellcheck source=tools/cache.sh
source "$here/cache.sh"
for build in "helm-$HELM_VERSION" "etcd-$ETCD_VERSION" "kubernetes-$KUBERNETES_VERSION" \
  "minio-$MINIO_VERSION" "kube-score-$KUBE_SCORE_VERSION" "containerd-$CONTAINERD_VERSION"; do
  PATH="$HELPDESK_CACHE/go/$build/bin:$PATH"
done
PATH="$HELPDESK_CACHE/python/checkov-$CHECKOV_VERSION/bin:$PATH"
PATH="/usr/lib/postgresql/15/bin:$PATH"
export PATH
if [ "${BASH_SOURCE[0]}" = "$0" ] && [ $# -gt 0 ]; then exec "$@"; fi
