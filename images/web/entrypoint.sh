#!/bin/sh
# The web image's entrypoint: renders web/nginx.conf for this environment into /tmp (the root
# filesystem is read-only; render-nginx-conf.sh validates every value and lists what is wrong),
# then becomes nginx, so signals reach it directly.
set -eu
prefix=/tmp/nginx
mkdir -p "$prefix"
sh /usr/share/helpdesk/nginx/render-nginx-conf.sh /usr/share/helpdesk/nginx/nginx.conf \
  >"$prefix/nginx.conf"
exec nginx -p "$prefix/" -c "$prefix/nginx.conf" -e stderr -g 'daemon off;'
