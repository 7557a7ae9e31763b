#!/usr/bin/env bash
# API benchmark: the vendor list of a synthetic organisation with 1,000 vendors,
# GET /api/v1/organisations/synthetic/vendors (default page size, 50), with API auth turned off and
# with a bearer token verified on every request: HS256 (the service's own secret), RS256 and ES256
# (keys from a JWKS served locally).
#
# Usage: bench/api.sh
#        DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres bench/api.sh
#
# Environment (all optional):
#   DATABASE_URL       a PostgreSQL server to run against instead of a temp SQLite file. The script
#                      connects to it with psql, creates a fresh database cb_bench_api_<random> on
#                      that server, runs against it and drops it on exit. The URL's own database is
#                      only used to connect (postgres://USER[:PASS]@127.0.0.1:5432/DB).
#   CARGO_TARGET_DIR   where the release binary is built (default: target). Use a directory of
#                      its own (e.g. /tmp/bench-target) to avoid waiting on other builds' locks.
#   VENDORS            vendors in the synthetic organisation (default: 1000)
#   DURATION           wrk duration per run (default: 15s)
#   WARMUP             wrk warm-up before each run, not measured (default: 3s)
#   CONNECTIONS        wrk connections (default: 64)
#   THREADS            wrk threads (default: 2)
#   TIMEOUT            wrk's request timeout (default: 10s; wrk's own default, 2s, is below this
#                      route's latency at 64 connections on 2 cores, and a request that times out
#                      is left out of wrk's latency figures)
#   OFF_PORT, AUTH_PORT, JWKS_PORT  ports on 127.0.0.1 (default: the first free port from
#                      18280 / 18380 / 18480)
#   RUST_LOG           passed to crossborder as usual (default there: info)
#
# What it does: builds the release binary; installs wrk and curl (and psql with DATABASE_URL) when
# missing (apt-get, needs root); seeds the database with `crossborder seed --synthetic`; serves
# the vectors' JWKS (tests/jwt/vectors.json) from a python3 http.server; starts two crossborder
# processes on the same database, one with --insecure-disable-api-auth and one with JWT_SECRET
# (the vectors' hs256_secret) and --jwks-url; waits for /readyz; checks that auth is off on the
# first (200 without a token) and on on the second (401 without a token and with bad tokens,
# 200 with valid_hs256, valid_rs256 and valid_es256) and that both return the same body; then, one
# after the other, warms up and runs the same wrk for: auth off, HS256, RS256, ES256. Prints
# requests/s, p50 and p99 and the requests/s of each token against auth off, with the goals
# (HS256 >= 90%, RS256 >= 70%, ES256 >= 70%). Goals print PASS/FAIL; the exit status is 0 unless
# something broke. Talks only to 127.0.0.1 and cleans up (servers, temp dir, database) on exit.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

VENDORS="${VENDORS:-1000}"
DURATION="${DURATION:-15s}"
WARMUP="${WARMUP:-3s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
TIMEOUT="${TIMEOUT:-10s}"
SLUG=synthetic
ROUTE="/api/v1/organisations/$SLUG/vendors"
VECTORS="$ROOT/tests/jwt/vectors.json"
PG_URL="${DATABASE_URL:-}"
# Goals: requests/s with each token at least this share of auth off's.
GOAL_HS256=0.90
GOAL_RS256=0.70
GOAL_ES256=0.70

BENCH=api.sh
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

# --- cleanup -------------------------------------------------------------------------------------

TMP=""
OFF_PID=""
AUTH_PID=""
JWKS_PID=""

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    stop "$OFF_PID" "crossborder (auth off)"
    stop "$AUTH_PID" "crossborder (auth on)"
    stop "$JWKS_PID" "the JWKS server"
    drop_database
    if [ -n "$TMP" ] && [ -d "$TMP" ]; then
        if [ "$status" -eq 1 ]; then # die: show what the servers said
            for log in "$TMP/seed.log" "$TMP/off.log" "$TMP/auth.log" "$TMP/jwks.log"; do
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

need_tools wrk curl python3:python3-minimal ${PG_URL:+psql:postgresql-client}
[ -r "$VECTORS" ] || die "no test vectors at $VECTORS"

# --- the PostgreSQL server, when asked for -------------------------------------------------------

if [ -n "$PG_URL" ]; then
    create_database "$PG_URL" DATABASE_URL cb_bench_api
    DB_LABEL="PostgreSQL $PG_VERSION, database $PG_DB"
    say "created database $PG_DB: $(redact "$DB_URL")"
fi

# --- build ---------------------------------------------------------------------------------------

build_release

# --- ports ---------------------------------------------------------------------------------------

OFF_PORT="${OFF_PORT:-$(free_port 18280)}"
AUTH_PORT="${AUTH_PORT:-$(free_port 18380 "$OFF_PORT")}"
JWKS_PORT="${JWKS_PORT:-$(free_port 18480 "$OFF_PORT" "$AUTH_PORT")}"
for p in "$OFF_PORT" "$AUTH_PORT" "$JWKS_PORT"; do
    port_in_use "$p" && die "port $p is already in use"
done
OFF_URL="http://127.0.0.1:$OFF_PORT$ROUTE"
AUTH_URL="http://127.0.0.1:$AUTH_PORT$ROUTE"
JWKS_URL_LOCAL="http://127.0.0.1:$JWKS_PORT/jwks.json"

# --- the test vectors ----------------------------------------------------------------------------

TMP="$(mktemp -d "${TMPDIR:-/tmp}/crossborder-bench-api.XXXXXX")"
mkdir -p "$TMP/jwks"

# vector NAME: a token of the cases; vector :secret / :jwks: the HS256 secret / the JWKS document.
vector() {
    python3 - "$VECTORS" "$1" <<'EOF'
import json, sys
vectors = json.load(open(sys.argv[1]))
what = sys.argv[2]
if what == ":secret":
    print(vectors["hs256_secret"])
elif what == ":jwks":
    print(json.dumps(vectors["jwks"]))
else:
    tokens = [c["token"] for c in vectors["cases"] if c["name"] == what]
    if not tokens:
        sys.exit(f"no case named {what}")
    print(tokens[0])
EOF
}

HS256_SECRET="$(vector :secret)" || die "cannot read hs256_secret from $VECTORS"
vector :jwks >"$TMP/jwks/jwks.json" || die "cannot read jwks from $VECTORS"
declare -A TOKEN
for name in valid_hs256 valid_rs256 valid_es256 tampered_payload tampered_payload_rs256 \
    wrong_audience_es256 wrong_key_hs256; do
    TOKEN[$name]="$(vector "$name")" || die "cannot read token $name from $VECTORS"
done

# --- database ------------------------------------------------------------------------------------

if [ -z "$PG_URL" ]; then
    DB_URL="sqlite://$TMP/bench.db"
    DB_LABEL="SQLite, temp file"
fi

say "seeding a synthetic organisation with $VENDORS vendors into $(redact "$DB_URL")"
"$CROSSBORDER" seed --synthetic "$VENDORS" --slug "$SLUG" --database-url "$DB_URL" \
    >"$TMP/seed.log" 2>&1 || {
    cat "$TMP/seed.log" >&2
    die "seeding failed"
}

# --- servers -------------------------------------------------------------------------------------

say "serving the vectors' JWKS on $JWKS_URL_LOCAL"
python3 -m http.server "$JWKS_PORT" --bind 127.0.0.1 --directory "$TMP/jwks" \
    >"$TMP/jwks.log" 2>&1 &
JWKS_PID=$!

ready=""
for _ in $(seq 100); do # up to 10 s
    kill -0 "$JWKS_PID" 2>/dev/null || die "the JWKS server exited during start"
    if curl -fsS -o /dev/null --max-time 2 "$JWKS_URL_LOCAL" 2>/dev/null; then
        ready=yes
        break
    fi
    sleep 0.1
done
[ -n "$ready" ] || die "the JWKS server not ready after 10 s"

# No token settings from the caller's environment: each server gets exactly its own.
CLEAN_ENV=(env -u JWT_SECRET -u JWT_SECRET_FILE -u JWKS_URL -u JWT_ISSUER -u JWT_AUDIENCE
    -u DATABASE_URL -u BIND)

say "starting crossborder with API auth off on 127.0.0.1:$OFF_PORT"
"${CLEAN_ENV[@]}" "$CROSSBORDER" serve --bind "127.0.0.1:$OFF_PORT" --database-url "$DB_URL" \
    --insecure-disable-api-auth >"$TMP/off.log" 2>&1 &
OFF_PID=$!

say "starting crossborder with HS256 secret and JWKS on 127.0.0.1:$AUTH_PORT"
"${CLEAN_ENV[@]}" JWT_SECRET="$HS256_SECRET" "$CROSSBORDER" serve --bind "127.0.0.1:$AUTH_PORT" \
    --database-url "$DB_URL" --jwks-url "$JWKS_URL_LOCAL" >"$TMP/auth.log" 2>&1 &
AUTH_PID=$!

wait_ready "$OFF_PID" "$OFF_PORT" "crossborder (auth off)"
wait_ready "$AUTH_PID" "$AUTH_PORT" "crossborder (auth on)"
say "servers ready: auth off pid $OFF_PID, auth on pid $AUTH_PID"

# --- checks --------------------------------------------------------------------------------------

status_of() { # status_of URL [TOKEN] [BODY_FILE]: prints the HTTP status
    local args=(-sS -o "${3:-/dev/null}" -w '%{http_code}' --max-time 30)
    [ -z "${2:-}" ] || args+=(-H "Authorization: Bearer $2")
    curl "${args[@]}" "$1" || echo 000
}

expect() { # expect WANTED WHAT URL [TOKEN] [BODY_FILE]
    local got
    got="$(status_of "$3" "${4:-}" "${5:-}")"
    [ "$got" = "$1" ] || die "$2: got $got, expected $1"
    say "$2: $got"
}

expect 200 "auth off, no token" "$OFF_URL" "" "$TMP/off.body"
expect 401 "auth on, no token" "$AUTH_URL"
for name in tampered_payload wrong_key_hs256 tampered_payload_rs256 wrong_audience_es256; do
    expect 401 "auth on, bad token $name" "$AUTH_URL" "${TOKEN[$name]}"
done
for alg in hs256 rs256 es256; do
    expect 200 "auth on, valid_$alg" "$AUTH_URL" "${TOKEN[valid_$alg]}" "$TMP/$alg.body"
done
for alg in hs256 rs256 es256; do
    cmp -s "$TMP/off.body" "$TMP/$alg.body" ||
        die "auth off and $alg return different bodies ($(wc -c <"$TMP/off.body") and $(wc -c <"$TMP/$alg.body") bytes)"
done
BODY_BYTES="$(wc -c <"$TMP/off.body" | tr -d ' ')"
PAGE_VENDORS="$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["data"]))' "$TMP/off.body")" ||
    die "the vendor list is not the expected JSON"
[ "$PAGE_VENDORS" -gt 0 ] || die "the vendor list is empty"
say "all four return the same $BODY_BYTES bytes ($PAGE_VENDORS vendors on the page)"

# --- wrk -----------------------------------------------------------------------------------------

declare -A RPS P50 P99 ERRORS

run_wrk() { # run_wrk NAME URL [TOKEN] -> RPS[NAME], P50[NAME], P99[NAME] (ms), ERRORS[NAME]
    local name="$1" url="$2" token="${3:-}" out="$TMP/wrk.$1.txt" pid
    local header=()
    [ -z "$token" ] || header=(-H "Authorization: Bearer $token")
    case "$name" in off) pid="$OFF_PID" ;; *) pid="$AUTH_PID" ;; esac
    say "warming up $name for $WARMUP"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" --timeout "$TIMEOUT" "${header[@]}" "$url" >"$TMP/warmup.$name.txt" 2>&1 || {
        cat "$TMP/warmup.$name.txt" >&2
        die "wrk warm-up failed against $name"
    }
    grep -q 'Non-2xx or 3xx responses' "$TMP/warmup.$name.txt" &&
        die "$name answered the warm-up with errors: $(grep 'Non-2xx or 3xx responses' "$TMP/warmup.$name.txt")"
    say "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency --timeout $TIMEOUT against $name ($url, server pid $pid)"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency --timeout "$TIMEOUT" "${header[@]}" "$url" >"$out" 2>&1 || {
        cat "$out" >&2
        die "wrk failed against $name"
    }
    cat "$out" >&2
    if grep -q 'Non-2xx or 3xx responses' "$out"; then
        die "$name answered with errors: $(grep 'Non-2xx or 3xx responses' "$out")"
    fi
    kill -0 "$pid" 2>/dev/null || die "the server died during the $name run"
    RPS[$name]="$(awk '$1 == "Requests/sec:" { print $2 }' "$out")"
    P50[$name]="$(to_ms "$(awk '$1 == "50%" { print $2; exit }' "$out")")" || die "cannot read p50 from wrk"
    P99[$name]="$(to_ms "$(awk '$1 == "99%" { print $2; exit }' "$out")")" || die "cannot read p99 from wrk"
    [ -n "${RPS[$name]}" ] || die "cannot read requests/s from wrk"
    ERRORS[$name]="$(awk '/Socket errors:/ { sub(/^ *Socket errors: */, ""); print }' "$out")"
    sleep 1
}

run_wrk off "$OFF_URL"
run_wrk hs256 "$AUTH_URL" "${TOKEN[valid_hs256]}"
run_wrk rs256 "$AUTH_URL" "${TOKEN[valid_rs256]}"
run_wrk es256 "$AUTH_URL" "${TOKEN[valid_es256]}"

# --- report --------------------------------------------------------------------------------------

pct() { awk -v r="$1" 'BEGIN { if (r == "n/a") print r; else printf "%.0f%%", r * 100 }'; }
verdict() { awk -v r="$1" -v g="$2" 'BEGIN { print (r != "n/a" && r + 0 >= g) ? "PASS" : "FAIL" }'; }

CPU="$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
echo
echo "GET $ROUTE: $VENDORS vendors, $PAGE_VENDORS on the page, $BODY_BYTES bytes of JSON; $DB_LABEL"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency --timeout $TIMEOUT (after a $WARMUP warm-up); $(nproc) cores${CPU:+ ($CPU)}, $(uname -sr)"
echo "load average before the report: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-10s %12s %10s %10s %14s %8s %6s\n' "" "requests/s" "p50 (ms)" "p99 (ms)" "vs auth off" "goal" ""
printf '%-10s %12.0f %10s %10s %14s %8s %6s\n' "auth off" "${RPS[off]}" "${P50[off]}" "${P99[off]}" "" "" ""
for alg in hs256 rs256 es256; do
    case "$alg" in hs256) goal="$GOAL_HS256" ;; rs256) goal="$GOAL_RS256" ;; es256) goal="$GOAL_ES256" ;; esac
    r="$(ratio "${RPS[$alg]}" "${RPS[off]}")"
    printf '%-10s %12.0f %10s %10s %14s %8s %6s\n' "${alg^^}" "${RPS[$alg]}" "${P50[$alg]}" "${P99[$alg]}" \
        "$(pct "$r")" ">= $(pct "$goal")" "$(verdict "$r" "$goal")"
done
for name in off hs256 rs256 es256; do
    [ -z "${ERRORS[$name]}" ] || echo "$name socket errors: ${ERRORS[$name]}"
done
echo
for alg in hs256 rs256 es256; do
    case "$alg" in hs256) goal="$GOAL_HS256" ;; rs256) goal="$GOAL_RS256" ;; es256) goal="$GOAL_ES256" ;; esac
    r="$(ratio "${RPS[$alg]}" "${RPS[off]}")"
    echo "Goal: ${alg^^} requests/s >= $(pct "$goal") of auth off's: $(verdict "$r" "$goal") ($(pct "$r"))"
done
