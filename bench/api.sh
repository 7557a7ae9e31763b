#!/usr/bin/env bash
# API benchmark (issue 16): three API reads of a synthetic organisation with 1,000 vendors, each
# with a bearer token verified on every request, against the cached public JSON of the same
# organisation (no token) as the anchor:
#   list    GET /api/v1/organisations/synthetic/vendors            (default page size, 50)
#   vendor  GET /api/v1/organisations/synthetic/vendors/vendor-00042
#   lookup  GET /api/v1/organisations/synthetic/lookup?domain=vendor-00042.example
#   anchor  GET /synthetic/subprocessors.json                       (the whole list, cached)
# Each API read is run with an HS256 token (the service's own secret), then RS256 and ES256 tokens
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
#   CROSSBORDER        a built binary to use instead of building one
#   VENDORS            vendors in the synthetic organisation (default: 1000)
#   DURATION           wrk duration per run (default: 10s)
#   WARMUP             wrk warm-up before each run, not measured (default: 2s)
#   CONNECTIONS        wrk connections (default: 8)
#   THREADS            wrk threads (default: 2)
#   TIMEOUT            wrk's request timeout (default: 10s)
#   AUTH_PORT, JWKS_PORT  ports on 127.0.0.1 (default: the first free port from 18380 / 18480)
#   RUST_LOG           passed to crossborder (default here: warn, so no request log is written)
#
# What it does: builds the release binary; installs wrk and curl (and psql with DATABASE_URL) when
# missing (apt-get, needs root); seeds the database with `crossborder seed --synthetic`; serves
# the vectors' JWKS (tests/jwt/vectors.json) from a python3 http.server; starts crossborder with
# JWT_SECRET (the vectors' hs256_secret) and --jwks-url; checks that the API refuses no token and
# four bad tokens (401) and gives each valid token the same body; then warms up and runs wrk on
# the anchor and on each read with each token, one after the other. Prints requests/s, p50 and
# p99 with the goals: each read with HS256 >= 50% of the anchor's requests/s; RS256 and ES256 >=
# 70% of HS256's on the same read. Goals print PASS/FAIL; the exit status is 0 unless something
# broke. Talks only to 127.0.0.1 and cleans up (server, temp dir, database) on exit.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

VENDORS="${VENDORS:-1000}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-2s}"
CONNECTIONS="${CONNECTIONS:-8}"
THREADS="${THREADS:-2}"
TIMEOUT="${TIMEOUT:-10s}"
SLUG=synthetic
VECTORS="$ROOT/tests/jwt/vectors.json"
PG_URL="${DATABASE_URL:-}"
GOAL_HS256=0.50 # each read with HS256: at least this share of the anchor's requests/s
GOAL_ASYM=0.70  # RS256 and ES256: at least this share of HS256's on the same read
declare -A ROUTE=(
    [list]="/api/v1/organisations/$SLUG/vendors"
    [vendor]="/api/v1/organisations/$SLUG/vendors/vendor-00042"
    [lookup]="/api/v1/organisations/$SLUG/lookup?domain=vendor-00042.example"
    [anchor]="/$SLUG/subprocessors.json"
)
READS=(list vendor lookup)
ALGS=(hs256 rs256 es256)

BENCH=api.sh
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

# --- cleanup -------------------------------------------------------------------------------------

TMP=""
AUTH_PID=""
JWKS_PID=""

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    stop "$AUTH_PID" crossborder
    stop "$JWKS_PID" "the JWKS server"
    drop_database
    if [ -n "$TMP" ] && [ -d "$TMP" ]; then
        if [ "$status" -eq 1 ]; then # die: show what the servers said
            for log in "$TMP/seed.log" "$TMP/auth.log" "$TMP/jwks.log"; do
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

AUTH_PORT="${AUTH_PORT:-$(free_port 18380)}"
JWKS_PORT="${JWKS_PORT:-$(free_port 18480 "$AUTH_PORT")}"
for p in "$AUTH_PORT" "$JWKS_PORT"; do
    port_in_use "$p" && die "port $p is already in use"
done
BASE="http://127.0.0.1:$AUTH_PORT"
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
    -u MAX_TOKEN_TTL -u DATABASE_URL -u BIND)

say "starting crossborder with HS256 secret and JWKS on 127.0.0.1:$AUTH_PORT"
# The vectors are signed once, to expire in 2100: longer than the default maximum lifetime.
"${CLEAN_ENV[@]}" RUST_LOG="${RUST_LOG:-warn}" JWT_SECRET="$HS256_SECRET" MAX_TOKEN_TTL=876000h "$CROSSBORDER" serve --bind "127.0.0.1:$AUTH_PORT" \
    --database-url "$DB_URL" --jwks-url "$JWKS_URL_LOCAL" >"$TMP/auth.log" 2>&1 &
AUTH_PID=$!

wait_ready "$AUTH_PID" "$AUTH_PORT" crossborder
say "crossborder ready: pid $AUTH_PID"

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

LIST_URL="$BASE${ROUTE[list]}"
expect 401 "no token" "$LIST_URL"
for name in tampered_payload wrong_key_hs256 tampered_payload_rs256 wrong_audience_es256; do
    expect 401 "bad token $name" "$LIST_URL" "${TOKEN[$name]}"
done
expect 200 "anchor ${ROUTE[anchor]}, no token" "$BASE${ROUTE[anchor]}" "" "$TMP/anchor.body"
for read in "${READS[@]}"; do
    for alg in "${ALGS[@]}"; do
        expect 200 "$read, valid_$alg" "$BASE${ROUTE[$read]}" "${TOKEN[valid_$alg]}" "$TMP/$read.$alg.body"
        cmp -s "$TMP/$read.hs256.body" "$TMP/$read.$alg.body" ||
            die "$read: hs256 and $alg return different bodies"
    done
done
python3 - "$TMP" <<'EOF' || die "the API answers are not the expected JSON"
import json, sys
d = sys.argv[1]
assert len(json.load(open(f"{d}/list.hs256.body"))["data"]) > 0, "empty vendor list"
assert json.load(open(f"{d}/vendor.hs256.body"))["key"] == "vendor-00042", "wrong vendor"
assert json.load(open(f"{d}/lookup.hs256.body"))["known"] is True, "lookup did not find the vendor"
EOF

# --- wrk -----------------------------------------------------------------------------------------

declare -A RPS P50 P99 ERRORS

run_wrk() { # run_wrk NAME URL [TOKEN] -> RPS[NAME], P50[NAME], P99[NAME] (ms), ERRORS[NAME]
    local name="$1" url="$2" token="${3:-}" out="$TMP/wrk.$1.txt"
    local header=()
    [ -z "$token" ] || header=(-H "Authorization: Bearer $token")
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" --timeout "$TIMEOUT" "${header[@]}" "$url" >"$TMP/warmup.$name.txt" 2>&1 || {
        cat "$TMP/warmup.$name.txt" >&2
        die "wrk warm-up failed against $name"
    }
    grep -q 'Non-2xx or 3xx responses' "$TMP/warmup.$name.txt" &&
        die "$name answered the warm-up with errors: $(grep 'Non-2xx or 3xx responses' "$TMP/warmup.$name.txt")"
    say "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency --timeout $TIMEOUT: $name ($url)"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency --timeout "$TIMEOUT" "${header[@]}" "$url" >"$out" 2>&1 || {
        cat "$out" >&2
        die "wrk failed against $name"
    }
    if grep -q 'Non-2xx or 3xx responses' "$out"; then
        die "$name answered with errors: $(grep 'Non-2xx or 3xx responses' "$out")"
    fi
    kill -0 "$AUTH_PID" 2>/dev/null || die "the server died during the $name run"
    RPS[$name]="$(awk '$1 == "Requests/sec:" { print $2 }' "$out")"
    P50[$name]="$(to_ms "$(awk '$1 == "50%" { print $2; exit }' "$out")")" || die "cannot read p50 from wrk"
    P99[$name]="$(to_ms "$(awk '$1 == "99%" { print $2; exit }' "$out")")" || die "cannot read p99 from wrk"
    [ -n "${RPS[$name]}" ] || die "cannot read requests/s from wrk"
    ERRORS[$name]="$(awk '/Socket errors:/ { sub(/^ *Socket errors: */, ""); print }' "$out")"
    sleep 1
}

run_wrk anchor "$BASE${ROUTE[anchor]}"
for read in "${READS[@]}"; do
    for alg in "${ALGS[@]}"; do
        run_wrk "$read.$alg" "$BASE${ROUTE[$read]}" "${TOKEN[valid_$alg]}"
    done
done

# --- report --------------------------------------------------------------------------------------

pct() { awk -v r="$1" 'BEGIN { if (r == "n/a") print r; else printf "%.0f%%", r * 100 }'; }
verdict() { awk -v r="$1" -v g="$2" 'BEGIN { print (r != "n/a" && r + 0 >= g) ? "PASS" : "FAIL" }'; }
bytes() { wc -c <"$1" | tr -d ' '; }

CPU="$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
echo
echo "$VENDORS vendors; $DB_LABEL"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency --timeout $TIMEOUT (after a $WARMUP warm-up); $(nproc) cores${CPU:+ ($CPU)}, $(uname -sr)"
echo "load average at the report: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-14s %9s %12s %10s %10s %10s %9s\n' "read" "bytes" "requests/s" "p50 (ms)" "p99 (ms)" "vs anchor" "vs HS256"
printf '%-14s %9s %12.0f %10s %10s\n' "anchor" "$(bytes "$TMP/anchor.body")" "${RPS[anchor]}" "${P50[anchor]}" "${P99[anchor]}"
GOALS=()
for read in "${READS[@]}"; do
    for alg in "${ALGS[@]}"; do
        name="$read.$alg"
        va="$(ratio "${RPS[$name]}" "${RPS[anchor]}")"
        vh="$(ratio "${RPS[$name]}" "${RPS[$read.hs256]}")"
        printf '%-14s %9s %12.0f %10s %10s %10s %9s\n' "$read ${alg^^}" "$(bytes "$TMP/$name.body")" \
            "${RPS[$name]}" "${P50[$name]}" "${P99[$name]}" "$(pct "$va")" "$(pct "$vh")"
        if [ "$alg" = hs256 ]; then
            GOALS+=("$read HS256 >= $(pct "$GOAL_HS256") of the anchor: $(verdict "$va" "$GOAL_HS256") ($(pct "$va"))")
        else
            GOALS+=("$read ${alg^^} >= $(pct "$GOAL_ASYM") of HS256: $(verdict "$vh" "$GOAL_ASYM") ($(pct "$vh"))")
        fi
    done
done
for name in "${!ERRORS[@]}"; do
    [ -z "${ERRORS[$name]}" ] || echo "$name socket errors: ${ERRORS[$name]}"
done
echo
printf 'Goal: %s\n' "${GOALS[@]}"
