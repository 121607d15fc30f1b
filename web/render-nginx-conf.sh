#!/bin/sh
# Prints web/nginx.conf rendered for this environment. The web image's entrypoint and the
# tests run this same script, so defaults and validation live in one place.
#
#   PORT                      listen port                                 8080
#   API_UPSTREAM              the API, scheme://host[:port], no path      http://helpdesk-api:8080
#   WEB_ROOT                  the built app (web/dist)                    /usr/share/helpdesk/web
#   HELPDESK_CSP_CONNECT_SRC  extra CSP connect-src sources, space-separated (as for the API)
#   CLIENT_MAX_BODY_SIZE      largest request body nginx passes on        30m
#   TRUSTED_PROXIES           addresses/CIDRs whose X-Forwarded-For is    the private ranges
#                             believed (space-separated; empty: none)     (10/8 172.16/12 192.168/16 fc00::/7)
#
# Values end up inside nginx directives and a response header, so each is checked against a
# strict pattern: a stray ';', quote or newline could otherwise rewrite the configuration.
# Every problem is listed, then the script exits 64.
set -euf

template=${1:-$(dirname "$0")/nginx.conf}

PORT=${PORT:-8080}
API_UPSTREAM=${API_UPSTREAM:-http://helpdesk-api:8080}
WEB_ROOT=${WEB_ROOT:-/usr/share/helpdesk/web}
HELPDESK_CSP_CONNECT_SRC=${HELPDESK_CSP_CONNECT_SRC:-}
CLIENT_MAX_BODY_SIZE=${CLIENT_MAX_BODY_SIZE:-30m}
# Set but empty means "trust no proxy", so only an unset variable takes the default.
TRUSTED_PROXIES=${TRUSTED_PROXIES-10.0.0.0/8 172.16.0.0/12 192.168.0.0/16 fc00::/7}

problems=''
problem() {
  problems="${problems}  - $1
"
}

# matches VALUE ERE: the whole value matches the extended regular expression.
matches() {
  printf '%s' "$1" | grep -Eqx -- "$2" && [ "$(printf '%s' "$1" | wc -l)" -eq 0 ]
}

if ! matches "$PORT" '[0-9]{1,5}' || [ "$PORT" -lt 1 ] || [ "$PORT" -gt 65535 ]; then
  problem "PORT must be a port number (1-65535), got '$PORT'"
fi
if ! matches "$API_UPSTREAM" 'https?://([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?'; then
  problem "API_UPSTREAM must be scheme://host[:port] without a path, e.g. http://helpdesk-api:8080, got '$API_UPSTREAM'"
fi
if ! matches "$WEB_ROOT" '/[A-Za-z0-9._/-]*'; then
  problem "WEB_ROOT must be an absolute path of letters, digits and . _ - /, got '$WEB_ROOT'"
fi
for source in $HELPDESK_CSP_CONNECT_SRC; do
  if ! matches "$source" "([a-z][a-z0-9+.-]*:)?(//)?[A-Za-z0-9*]([A-Za-z0-9.*-]*)(:([0-9]{1,5}|\\*))?(/[A-Za-z0-9._~/-]*)?"; then
    problem "HELPDESK_CSP_CONNECT_SRC: '$source' is not a CSP host source such as https://api.example.com"
  fi
done
if ! matches "$CLIENT_MAX_BODY_SIZE" '[0-9]+[kKmMgG]?'; then
  problem "CLIENT_MAX_BODY_SIZE must be a size such as 30m, got '$CLIENT_MAX_BODY_SIZE'"
fi
for proxy in $TRUSTED_PROXIES; do
  if ! matches "$proxy" '([0-9]{1,3}(\.[0-9]{1,3}){3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*)(/[0-9]{1,3})?'; then
    problem "TRUSTED_PROXIES: '$proxy' is not an IP address or CIDR such as 10.0.0.0/8"
  fi
done
if [ ! -r "$template" ]; then
  problem "cannot read the template $template"
fi

if [ -n "$problems" ]; then
  printf 'render-nginx-conf: invalid configuration:\n%s' "$problems" >&2
  exit 64
fi

# Sources are joined with single spaces whatever the spacing of the variable.
CSP_CONNECT_SRC="'self'"
for source in $HELPDESK_CSP_CONNECT_SRC; do
  CSP_CONNECT_SRC="$CSP_CONNECT_SRC $source"
done
# One directive per trusted proxy, indented like the server block it goes in.
REAL_IP_FROM=''
for proxy in $TRUSTED_PROXIES; do
  REAL_IP_FROM="${REAL_IP_FROM}    set_real_ip_from $proxy;
"
done
export PORT API_UPSTREAM WEB_ROOT CSP_CONNECT_SRC CLIENT_MAX_BODY_SIZE REAL_IP_FROM
# Only these variables are substituted; nginx's own $variables pass through untouched.
exec envsubst '${PORT} ${API_UPSTREAM} ${WEB_ROOT} ${CSP_CONNECT_SRC} ${CLIENT_MAX_BODY_SIZE} ${REAL_IP_FROM}' <"$template"
