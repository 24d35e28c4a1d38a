#!/usr/bin/env bash
# Checks the TLS front on this machine: deploy/Caddyfile with Caddy's own CA
# (MULTIFOLIO_TLS=internal) in front of `manage.py serve` (BEHIND_TLS_PROXY=1),
# on loopback and unprivileged ports, with the demo researchers in a throw-away
# data folder. Prints each check; exits non-zero at the first that fails.
# Everything it starts is stopped on exit, and nothing is written outside its
# temporary folder (Caddy's data and config included, and never the system's
# trust store: the Caddyfile sets skip_install_trust).
#
#   deploy/check_tls.sh            # about 20 s; needs caddy (apt-get install caddy)
#
# Ports (loopback): CHECK_APP_PORT 18141, CHECK_ASK_PORT 18142,
# CHECK_HTTPS_PORT 18143, CHECK_HTTP_PORT 18180.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
APP_PORT=${CHECK_APP_PORT:-18141}
ASK_PORT=${CHECK_ASK_PORT:-18142}
HTTPS_PORT=${CHECK_HTTPS_PORT:-18143}
HTTP_PORT=${CHECK_HTTP_PORT:-18180}
SITES=sites.localhost # two labels: clients refuse a wildcard certificate for *.localhost
WAIT_SECONDS=60

command -v caddy >/dev/null || {
  echo "check_tls: caddy is not installed (apt-get install caddy)" >&2
  exit 2
}
command -v curl >/dev/null || {
  echo "check_tls: curl is not installed" >&2
  exit 2
}

work=$(mktemp -d "${TMPDIR:-/tmp}/multifolio-check-tls.XXXXXX")
app_pid= caddy_pid=

stop() {
  local status=$?
  # SIGTERM: serve stops granian's workers and the task worker; caddy stops too.
  [ -n "$caddy_pid" ] && kill -TERM "$caddy_pid" 2>/dev/null
  [ -n "$app_pid" ] && kill -TERM "$app_pid" 2>/dev/null
  for pid in $caddy_pid $app_pid; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  if [ "$status" -ne 0 ]; then
    echo "--- app log (last lines) ---" >&2
    tail -n 30 "$work/app.log" >&2 2>/dev/null || true
    echo "--- caddy log (last lines) ---" >&2
    tail -n 30 "$work/caddy.log" >&2 2>/dev/null || true
  fi
  rm -rf "$work"
  echo "check_tls: stopped caddy and the app"
}
trap stop EXIT
trap 'exit 143' TERM INT

fail() {
  echo "check_tls: FAILED: $*" >&2
  exit 1
}
ok() { echo "check_tls: ok: $*"; }

# The app: production settings on SQLite and the file cache in $work, whatever
# this shell exports (CI's PostgreSQL and Redis are the test suite's).
unset DATABASE_URL REDIS_URL MEDIA_STORAGE MEDIA_ROOT DJANGO_ALLOW_ASYNC_UNSAFE
export DJANGO_SETTINGS_MODULE=config.settings DEBUG=0 BEHIND_TLS_PROXY=1 \
  SECRET_KEY="check-tls-$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')" \
  DATA_DIR="$work/data" STATIC_ROOT="$work/static" \
  PLATFORM_HOST=localhost SITES_DOMAIN=$SITES PLATFORM_HOST_ALIASES= \
  PUBLIC_SCHEME=https PUBLIC_PORT="$HTTPS_PORT"
echo "check_tls: loading the demo researchers into $work/data"
"$PYTHON" manage.py migrate --noinput -v0
"$PYTHON" manage.py load_demo >/dev/null
# A custom domain of amara's, verified as the DNS check would (no DNS here), and
# one nobody verified. (The dashboard adds them; profiles.domains checks DNS.)
"$PYTHON" manage.py shell -v0 -c "
from profiles.models import CustomDomain, Profile
amara = Profile.objects.get(slug='amara')
CustomDomain.objects.create(profile=amara, host='www.amara-okafor.test', verified=True)
CustomDomain.objects.create(profile=amara, host='unverified-amara.test')
"
"$PYTHON" manage.py serve --port "$APP_PORT" >"$work/app.log" 2>&1 &
app_pid=$!

# Caddy: deploy/Caddyfile as it is, told by its variables to use its own CA and
# these ports. XDG_* and HOME keep its data (CA, certificates) and config in $work.
mkdir -p "$work/home"
HOME="$work/home" XDG_DATA_HOME="$work/data-caddy" XDG_CONFIG_HOME="$work/config-caddy" \
  MULTIFOLIO_TLS=internal PORT="$APP_PORT" CADDY_ASK_PORT="$ASK_PORT" \
  CADDY_HTTP_PORT="$HTTP_PORT" CADDY_HTTPS_PORT="$HTTPS_PORT" CADDY_ADMIN=off \
  caddy run --config deploy/Caddyfile --adapter caddyfile >"$work/caddy.log" 2>&1 &
caddy_pid=$!
root_crt="$work/data-caddy/caddy/pki/authorities/local/root.crt"

resolve=()
CUSTOM=www.amara-okafor.test UNVERIFIED=unverified-amara.test
for host in localhost amara.$SITES nosuch.$SITES $CUSTOM $UNVERIFIED; do
  resolve+=(--resolve "$host:$HTTPS_PORT:127.0.0.1" --resolve "$host:$HTTP_PORT:127.0.0.1")
done
# curl_tls URL [curl options]: prints "status<TAB>headers file<TAB>body file".
n=0
curl_tls() {
  local url=$1
  shift
  n=$((n + 1))
  local status
  status=$(curl -sS --max-time 10 --cacert "$root_crt" "${resolve[@]}" \
    -D "$work/h$n" -o "$work/b$n" -w '%{http_code}' "$@" "$url") || status=000
  printf '%s\t%s\t%s\n' "$status" "$work/h$n" "$work/b$n"
}
header() { grep -i "^$1:" "$2" | head -1 | cut -d' ' -f2- | tr -d '\r'; }
title() { sed -n 's:.*<title>\([^<]*\)</title>.*:\1:p' "$1" | head -1; }

deadline=$((SECONDS + WAIT_SECONDS))
until [ -s "$root_crt" ] &&
  [ "$(curl_tls "https://amara.$SITES:$HTTPS_PORT/robots.txt" | cut -f1)" = 200 ]; do
  kill -0 "$app_pid" 2>/dev/null || fail "the app stopped"
  kill -0 "$caddy_pid" 2>/dev/null || fail "caddy stopped"
  [ $SECONDS -lt $deadline ] || fail "no answer over https within ${WAIT_SECONDS}s"
  sleep 0.5
done
echo "check_tls: app on 127.0.0.1:$APP_PORT, caddy on https :$HTTPS_PORT and http :$HTTP_PORT," \
  "CA root $root_crt (up after ${SECONDS}s)"

# 1. A site over https, verified against Caddy's CA: the page, compressed, and
#    the app knew it was https (HSTS is only sent on a request it takes as secure).
IFS=$'\t' read -r status h b < <(curl_tls "https://amara.$SITES:$HTTPS_PORT/" --compressed)
[ "$status" = 200 ] || fail "https://amara.$SITES:$HTTPS_PORT/ answered $status"
page_title=$(title "$b")
[[ $page_title == *"Amara N. Okafor"* ]] || fail "the site's title is '$page_title'"
encoding=$(header content-encoding "$h")
[ -n "$encoding" ] || fail "the page was not compressed"
[ -n "$(header strict-transport-security "$h")" ] ||
  fail "no Strict-Transport-Security: the app did not take the request as https"
grep -q "https://amara.$SITES:$HTTPS_PORT/" "$b" || fail "the page's own links are not https"
ok "https://amara.$SITES:$HTTPS_PORT/ 200, title '$page_title', $encoding, HSTS, https links"

# 2. The platform host over https.
IFS=$'\t' read -r status h b < <(curl_tls "https://localhost:$HTTPS_PORT/")
[ "$status" = 200 ] || fail "https://localhost:$HTTPS_PORT/ answered $status"
ok "https://localhost:$HTTPS_PORT/ (platform) 200, title '$(title "$b")'"

# 3. http is redirected to https, by Caddy, before the app. Caddy leaves its own
#    https_port out of the address (it takes a port other than 443 for one that a
#    router forwards 443 to), so here the redirect names the standard port.
IFS=$'\t' read -r status h b < <(curl_tls "http://amara.$SITES:$HTTP_PORT/news/?x=1")
location=$(header location "$h")
[[ $status == 30[178] && $location == "https://amara.$SITES/news/?x=1" ]] ||
  fail "http answered $status to $location"
ok "http://amara.$SITES:$HTTP_PORT/news/?x=1 -> $status $location"

# 4. A name nobody has, under the wildcard certificate: our styled 404.
IFS=$'\t' read -r status h b < <(curl_tls "https://nosuch.$SITES:$HTTPS_PORT/")
[ "$status" = 404 ] || fail "https://nosuch.$SITES:$HTTPS_PORT/ answered $status"
[ "$(title "$b")" = "No site here" ] || fail "the 404 page's title is '$(title "$b")'"
grep -q 'rel="stylesheet" href="/static/' "$b" || fail "the 404 page has no stylesheet"
ok "https://nosuch.$SITES:$HTTPS_PORT/ 404 '$(title "$b")', styled"

# 5. The "ask" that guards on-demand certificates (custom domains; the default
#    mode's sites), through the Caddyfile's loopback ask site to the app's
#    /tls/ask: yes for a site, the platform and a verified custom domain; no for
#    a name nobody has, an unverified domain and a host that is not ours; a
#    missing name is a bad request.
for pair in "amara.$SITES 200" "localhost 200" "$CUSTOM 200" "nosuch.$SITES 404" \
  "$UNVERIFIED 404" "evil.example 404" " 400"; do
  read -r domain want <<<"$pair"
  [ -n "$want" ] || { want=$domain domain=; }
  got=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' \
    "http://127.0.0.1:$ASK_PORT/tls/ask?domain=$domain") || got=000
  [ "$got" = "$want" ] || fail "ask for '$domain' answered $got, not $want"
done
ok "ask: a site, the platform and $CUSTOM 200; nosuch.$SITES, $UNVERIFIED, evil.example 404; no name 400"

# 6. ... and without a yes, no certificate: the handshake fails.
for name in evil.example $UNVERIFIED; do
  if curl -sS --max-time 10 --cacert "$root_crt" -o /dev/null \
    --resolve "$name:$HTTPS_PORT:127.0.0.1" "https://$name:$HTTPS_PORT/" 2>/dev/null; then
    fail "https://$name:$HTTPS_PORT/ was answered"
  fi
done
ok "https://evil.example:$HTTPS_PORT/ and https://$UNVERIFIED:$HTTPS_PORT/: no certificate (handshake refused)"

# 7. A verified custom domain gets its certificate on its first visit (Caddy asks,
#    then issues on demand) and serves the site over https. Not the main address
#    yet: its canonical link names the slug host.
IFS=$'\t' read -r status h b < <(curl_tls "https://$CUSTOM:$HTTPS_PORT/news/?x=1")
[ "$status" = 200 ] || fail "https://$CUSTOM:$HTTPS_PORT/news/?x=1 answered $status"
grep -q "rel=\"canonical\" href=\"https://amara.$SITES:$HTTPS_PORT/news/\"" "$b" ||
  fail "the canonical link of https://$CUSTOM:$HTTPS_PORT/news/ is not on the slug host"
ok "https://$CUSTOM:$HTTPS_PORT/news/?x=1: certificate on demand, 200, canonical on the slug host"

# 8. Made the main address (as the dashboard does), it serves the site, and the
#    slug host sends visitors to it.
"$PYTHON" manage.py shell -v0 -c "
from profiles.domains.primary import set_primary
from profiles.models import Profile
amara = Profile.objects.get(slug='amara')
set_primary(amara, amara.custom_domains.get(host='$CUSTOM'))
"
IFS=$'\t' read -r status h b < <(curl_tls "https://$CUSTOM:$HTTPS_PORT/")
[ "$status" = 200 ] || fail "https://$CUSTOM:$HTTPS_PORT/ answered $status once primary"
page_title=$(title "$b")
[[ $page_title == *"Amara N. Okafor"* ]] || fail "the custom domain's title is '$page_title'"
grep -q "rel=\"canonical\" href=\"https://$CUSTOM:$HTTPS_PORT/\"" "$b" ||
  fail "the canonical link is not on https://$CUSTOM:$HTTPS_PORT/"
IFS=$'\t' read -r status h b < <(curl_tls "https://amara.$SITES:$HTTPS_PORT/publications/?y=2")
location=$(header location "$h")
[[ $status == 301 && $location == "https://$CUSTOM:$HTTPS_PORT/publications/?y=2" ]] ||
  fail "the slug host answered $status to '$location' once $CUSTOM is primary"
ok "primary $CUSTOM: 200 '$page_title', canonical link on it; the slug host 301 -> $location"

echo "check_tls: all checks passed in ${SECONDS}s"
