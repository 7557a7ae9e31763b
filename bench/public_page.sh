#!/usr/bin/env bash
# Public page benchmark: crossborder serving one organisation's sub-processor page (a synthetic
# organisation with 1,000 vendors) against nginx serving a byte-identical saved copy of it.
#
# Usage: bench/public_page.sh
#        ENCODING=gzip CONNECTIONS="1 8 64" bench/public_page.sh
#        POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test bench/public_page.sh
#
# Environment (all optional):
#   POSTGRES_URL       a PostgreSQL server to run against instead of a temp SQLite file. The script
#                      connects to it with psql, creates a fresh database cb_bench_page_<random> on
#                      that server, runs against it and drops it on exit. The URL's own database is
#                      only used to connect (postgres://USER[:PASS]@127.0.0.1:5432/DB).
#   CARGO_TARGET_DIR   where the release binary is built (default: target). Use a directory of
#                      its own (e.g. /tmp/bench-target) to avoid waiting on other builds' locks.
#   VENDORS            vendors in the synthetic organisation (default: 1000)
#   DURATION           wrk duration per server (default: 15s)
#   CONNECTIONS        wrk connections, one run per number in the list (default: 64)
#   ENCODING           identity (default): wrk sends no Accept-Encoding and nginx serves the saved
#                      page with sendfile; gzip: wrk sends `Accept-Encoding: gzip` (as browsers do),
#                      crossborder answers from its cached gzip variant, and nginx serves the same
#                      compressed bytes with gzip_static from a saved .gz copy
#   THREADS            wrk threads (default: 2)
#   CB_PORT, NGINX_PORT  ports on 127.0.0.1 (default: the first free port from 18080 / 18180)
#   RUST_LOG           passed to crossborder (default here: warn, so no request log is written, as
#                      nginx here writes no access log)
#
# What it does: builds the release binary; installs nginx, wrk and curl when missing (apt-get,
# needs root; psql too with POSTGRES_URL); seeds a fresh SQLite database in a temp dir (or a fresh
# PostgreSQL database with POSTGRES_URL); starts crossborder, waits for /readyz,
# warms the page up and saves it; starts nginx on the saved copy with its own config; checks both
# bodies are byte-identical; for each number of connections runs the same wrk against each, one
# after the other; prints requests/s, p50 and p99 with the goals. identity: crossborder >= 50% of
# nginx's requests/s, p99 <= 10 ms. gzip (issue 16): >= 50% of nginx's requests/s and p99 within
# 2x of nginx's at 8 connections or more; p50 within 2x of nginx's at one connection.
# Goals print PASS/FAIL; the exit status is 0 unless something broke. Talks only to 127.0.0.1
# and cleans up (both servers, the temp dir, the PostgreSQL database) on exit.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

VENDORS="${VENDORS:-1000}"
DURATION="${DURATION:-15s}"
CONNECTIONS="${CONNECTIONS:-64}"
ENCODING="${ENCODING:-identity}"
case "$ENCODING" in
identity) ACCEPT=() ;;
gzip) ACCEPT=(-H "Accept-Encoding: gzip") ;;
*) echo "public_page.sh: ENCODING must be identity or gzip, not '$ENCODING'" >&2 && exit 1 ;;
esac
THREADS="${THREADS:-2}"
SLUG=synthetic
PAGE="/$SLUG/subprocessors"
GOAL_RATIO=0.50 # crossborder requests/s at least this share of nginx's
GOAL_P99_MS=10  # crossborder p99 at most this many ms
PG_URL="${POSTGRES_URL:-}"

BENCH=public_page.sh
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

# --- cleanup -------------------------------------------------------------------------------------

TMP=""
CB_PID=""
NGINX_PID=""

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    stop "$NGINX_PID" nginx
    stop "$CB_PID" crossborder
    drop_database
    if [ -n "$TMP" ] && [ -d "$TMP" ]; then
        if [ "$status" -eq 1 ]; then # die: show what the servers said
            for log in "$TMP/crossborder.log" "$TMP/nginx/error.log"; do
                if [ -s "$log" ]; then
                    printf -- '--- last lines of %s\n' "${log#"$TMP"/}" >&2
                    tail -n 20 "$log" >&2
                fi
            done
        fi
        rm -rf "$TMP"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- tools ---------------------------------------------------------------------------------------

need_tools nginx wrk curl ${PG_URL:+psql:postgresql-client}
build_release

# --- ports ---------------------------------------------------------------------------------------

CB_PORT="${CB_PORT:-$(free_port 18080)}"
NGINX_PORT="${NGINX_PORT:-$(free_port 18180 "$CB_PORT")}"
port_in_use "$CB_PORT" && die "port $CB_PORT is already in use"
port_in_use "$NGINX_PORT" && die "port $NGINX_PORT is already in use"
CB_URL="http://127.0.0.1:$CB_PORT$PAGE"
NGINX_URL="http://127.0.0.1:$NGINX_PORT$PAGE"

# --- crossborder ---------------------------------------------------------------------------------

TMP="$(mktemp -d "${TMPDIR:-/tmp}/crossborder-bench.XXXXXX")"
# nginx's workers run as an unprivileged user when started as root: let them read the copy.
chmod 755 "$TMP"
DB_URL="sqlite://$TMP/bench.db"
DB_LABEL=""

# --- the PostgreSQL server, when asked for -------------------------------------------------------

if [ -n "$PG_URL" ]; then
    create_database "$PG_URL" POSTGRES_URL cb_bench_page
    DB_LABEL="PostgreSQL $PG_VERSION"
    say "created database $PG_DB"
fi

say "seeding a synthetic organisation with $VENDORS vendors into ${PG_DB:+PostgreSQL database }${PG_DB:-$DB_URL}"
"$CROSSBORDER" seed --synthetic "$VENDORS" --slug "$SLUG" --database-url "$DB_URL" \
    >"$TMP/seed.log" 2>&1 || {
    cat "$TMP/seed.log" >&2
    die "seeding failed"
}

say "starting crossborder on 127.0.0.1:$CB_PORT"
RUST_LOG="${RUST_LOG:-warn}" "$CROSSBORDER" serve --bind "127.0.0.1:$CB_PORT" --database-url "$DB_URL" \
    >"$TMP/crossborder.log" 2>&1 &
CB_PID=$!

wait_ready "$CB_PID" "$CB_PORT" crossborder

say "warming up $PAGE"
for _ in 1 2 3 4 5; do
    curl -fsS -o /dev/null --max-time 30 "$CB_URL" || die "GET $CB_URL failed"
done

mkdir -p "$TMP/www/$SLUG"
chmod -R 755 "$TMP/www"
COPY="$TMP/www/$SLUG/subprocessors.html"
curl -fsS --max-time 30 -o "$COPY" "$CB_URL" || die "cannot save $CB_URL"
chmod 644 "$COPY"
PAGE_BYTES="$(wc -c <"$COPY" | tr -d ' ')"
[ "$PAGE_BYTES" -gt 0 ] || die "the saved page is empty"
if [ "$ENCODING" = gzip ]; then
    # The bytes crossborder sends a browser, so both servers move the same compressed body.
    curl -fsS --max-time 30 "${ACCEPT[@]}" -D "$TMP/gz.headers" -o "$COPY.gz" "$CB_URL" ||
        die "cannot save the gzip variant of $CB_URL"
    tr -d '\r' <"$TMP/gz.headers" | grep -qi '^content-encoding: gzip$' ||
        die "crossborder did not answer Accept-Encoding: gzip with gzip"
    gzip -t "$COPY.gz" || die "the saved gzip variant is not valid gzip"
    chmod 644 "$COPY.gz"
    GZ_BYTES="$(wc -c <"$COPY.gz" | tr -d ' ')"
fi

# --- nginx ---------------------------------------------------------------------------------------

mkdir -p "$TMP/nginx"
GZIP_STATIC=""
[ "$ENCODING" = identity ] || GZIP_STATIC="gzip_static on;"
cat >"$TMP/nginx/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes auto;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;

events {
    worker_connections 1024;
}

http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    server_tokens off;
    client_body_temp_path $TMP/nginx/client_body;
    proxy_temp_path $TMP/nginx/proxy;
    fastcgi_temp_path $TMP/nginx/fastcgi;
    uwsgi_temp_path $TMP/nginx/uwsgi;
    scgi_temp_path $TMP/nginx/scgi;

    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $TMP/www;
        types { }
        default_type "text/html; charset=utf-8";
        location / {
            $GZIP_STATIC
            try_files \$uri.html =404;
        }
    }
}
EOF

say "starting nginx on 127.0.0.1:$NGINX_PORT"
nginx -e "$TMP/nginx/error.log" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -t >"$TMP/nginx/test.log" 2>&1 || {
    cat "$TMP/nginx/test.log" >&2
    die "nginx rejects its config"
}
nginx -e "$TMP/nginx/error.log" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" \
    >"$TMP/nginx/stdout.log" 2>&1 &
NGINX_PID=$!

ready=""
for _ in $(seq 100); do # up to 10 s
    kill -0 "$NGINX_PID" 2>/dev/null || die "nginx exited during start"
    if curl -fsS -o /dev/null --max-time 2 "$NGINX_URL" 2>/dev/null; then
        ready=yes
        break
    fi
    sleep 0.1
done
[ -n "$ready" ] || die "nginx not serving $PAGE after 10 s"

# --- same bytes, same type -----------------------------------------------------------------------

curl -fsS --max-time 30 "${ACCEPT[@]}" -D "$TMP/cb.headers" -o "$TMP/cb.body" "$CB_URL" || die "GET $CB_URL failed"
curl -fsS --max-time 30 "${ACCEPT[@]}" -D "$TMP/nginx.headers" -o "$TMP/nginx.body" "$NGINX_URL" || die "GET $NGINX_URL failed"
cmp -s "$TMP/cb.body" "$TMP/nginx.body" ||
    die "the bodies differ (crossborder $(wc -c <"$TMP/cb.body") bytes, nginx $(wc -c <"$TMP/nginx.body") bytes)"
content_type() { tr -d '\r' <"$1" | awk 'tolower($1) == "content-type:" { sub(/^[^:]*:[ \t]*/, ""); print; exit }'; }
CB_TYPE="$(content_type "$TMP/cb.headers")"
NGINX_TYPE="$(content_type "$TMP/nginx.headers")"
[ "$CB_TYPE" = "$NGINX_TYPE" ] || die "content types differ: crossborder '$CB_TYPE', nginx '$NGINX_TYPE'"
BODY_BYTES="$(wc -c <"$TMP/cb.body" | tr -d ' ')"
say "both return the same $BODY_BYTES bytes ($CB_TYPE, $ENCODING)"

# --- wrk -----------------------------------------------------------------------------------------

run_wrk() { # run_wrk NAME URL CONNECTIONS -> sets RPS, P50, P99 (ms), ERRORS
    local name="$1" url="$2" conns="$3" out="$TMP/wrk.$1.$3.txt" threads="$THREADS"
    [ "$threads" -le "$conns" ] || threads="$conns"
    say "wrk -t$threads -c$conns -d$DURATION --latency ${ACCEPT[*]} against $name ($url)"
    wrk -t"$threads" -c"$conns" -d"$DURATION" --latency "${ACCEPT[@]}" "$url" >"$out" 2>&1 || {
        cat "$out" >&2
        die "wrk failed against $name"
    }
    cat "$out" >&2
    if grep -q 'Non-2xx or 3xx responses' "$out"; then
        die "$name answered with errors: $(grep 'Non-2xx or 3xx responses' "$out")"
    fi
    RPS="$(awk '$1 == "Requests/sec:" { print $2 }' "$out")"
    P50="$(to_ms "$(awk '$1 == "50%" { print $2; exit }' "$out")")" || die "cannot read p50 from wrk"
    P99="$(to_ms "$(awk '$1 == "99%" { print $2; exit }' "$out")")" || die "cannot read p99 from wrk"
    [ -n "$RPS" ] || die "cannot read requests/s from wrk"
    ERRORS="$(awk '/Socket errors:/ { sub(/^ *Socket errors: */, ""); print }' "$out")"
}

verdict() { awk -v ok="$1" 'BEGIN { print (ok ? "PASS" : "FAIL") }'; }
at_least() { awk -v r="$1" -v g="$2" 'BEGIN { print (r != "n/a" && r + 0 >= g) ? 1 : 0 }'; }
at_most() { awk -v r="$1" -v g="$2" 'BEGIN { print (r != "n/a" && r + 0 <= g) ? 1 : 0 }'; }

CPU="$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
REPORT="$TMP/report.txt"
GOALS="$TMP/goals.txt"
{
    echo "Public page $PAGE: $VENDORS vendors, $PAGE_BYTES bytes ($CB_TYPE), sent $ENCODING: $BODY_BYTES bytes${PG_DB:+; crossborder on $DB_LABEL}"
    echo "wrk -t$THREADS -d$DURATION --latency ${ACCEPT[*]}; $(nproc) cores${CPU:+ ($CPU)}, $(uname -sr); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    printf '%-6s %-22s %12s %10s %10s\n' "conns" "" "requests/s" "p50 (ms)" "p99 (ms)"
} >"$REPORT"
: >"$GOALS"
for conns in $CONNECTIONS; do
    run_wrk crossborder "$CB_URL" "$conns"
    CB_RPS="$RPS" CB_P50="$P50" CB_P99="$P99" CB_ERRORS="$ERRORS"
    kill -0 "$CB_PID" 2>/dev/null || die "crossborder died during the run"
    sleep 1
    run_wrk nginx "$NGINX_URL" "$conns"
    NG_RPS="$RPS" NG_P50="$P50" NG_P99="$P99" NG_ERRORS="$ERRORS"
    sleep 1
    RPS_RATIO="$(ratio "$CB_RPS" "$NG_RPS")"
    P50_RATIO="$(ratio "$CB_P50" "$NG_P50")"
    P99_RATIO="$(ratio "$CB_P99" "$NG_P99")"
    {
        printf '%-6s %-22s %12.0f %10s %10s\n' "$conns" "crossborder" "$CB_RPS" "$CB_P50" "$CB_P99"
        printf '%-6s %-22s %12.0f %10s %10s\n' "$conns" "nginx (saved copy)" "$NG_RPS" "$NG_P50" "$NG_P99"
        printf '%-6s %-22s %12s %10s %10s\n' "$conns" "crossborder / nginx" "$RPS_RATIO" "$P50_RATIO" "$P99_RATIO"
        [ -z "$CB_ERRORS" ] || echo "crossborder socket errors: $CB_ERRORS"
        [ -z "$NG_ERRORS" ] || echo "nginx socket errors: $NG_ERRORS"
    } >>"$REPORT"
    if [ "$ENCODING" = identity ]; then
        echo "$conns conns: requests/s >= $(awk -v g="$GOAL_RATIO" 'BEGIN { printf "%d", g * 100 }')% of nginx's: $(verdict "$(at_least "$RPS_RATIO" "$GOAL_RATIO")") ($RPS_RATIO)" >>"$GOALS"
        echo "$conns conns: p99 <= $GOAL_P99_MS ms: $(verdict "$(at_most "$CB_P99" "$GOAL_P99_MS")") ($CB_P99 ms)" >>"$GOALS"
    elif [ "$conns" -eq 1 ]; then
        echo "1 conn: p50 within 2x of nginx's: $(verdict "$(at_most "$P50_RATIO" 2)") ($P50_RATIO)" >>"$GOALS"
    else
        echo "$conns conns: requests/s >= 50% of nginx's: $(verdict "$(at_least "$RPS_RATIO" 0.5)") ($RPS_RATIO)" >>"$GOALS"
        echo "$conns conns: p99 within 2x of nginx's: $(verdict "$(at_most "$P99_RATIO" 2)") ($P99_RATIO)" >>"$GOALS"
    fi
done

echo
cat "$REPORT"
echo
sed 's/^/Goal: /' "$GOALS"
