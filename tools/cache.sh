# Where heavy, reusable tool builds live: outside the repository, shared by every clone.
# shellcheck shell=bash
HELPDESK_CACHE=${HELPDESK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/helpdesk}
export HELPDESK_CACHE
