#!/usr/bin/env bash
# Write-only load: POST /api/v1/organisations/synthetic/vendors/{key}/transfers to random vendors
# of a synthetic organisation, from wrk, against one crossborder and then two on the same
# database. A write locks its organisation and loads only the vendor it changes, so what this
# measures is writes per second and whether any write fails: every answer must be 201 (before
# issue 11, SQLite answered 2.5% of them, 9.7% with two instances, "database is locked" 500s).
#
# Usage: bench/writes.sh
#        DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres bench/writes.sh
#
# Environment (all optional):
#   DATABASE_URL   a PostgreSQL server to run against instead of a temp SQLite file (a fresh
#                  database is created on it and dropped on exit)
#   CROSSBORDER    a crossborder binary to use instead of building the release binary
#   VENDORS        vendors in the synthetic organisation (default: 2000)
#   DURATION       wrk duration per run (default: 20s)
#   CONNECTIONS    wrk connections (default: 16)
#   THREADS        wrk threads (default: 2)
#
# Prints, per run, requests/s, p50 and p99, and the count of each status; exits 1 when any answer
# is not 201. Talks only to 127.0.0.1 and cleans up (servers, temp dir, database) on exit.
set -euo pipefail
BENCH=writes.sh
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
# shellcheck source=bench/common.sh
. bench/common.sh

VENDORS="${VENDORS:-2000}"
DURATION="${DURATION:-20s}"
CONNECTIONS="${CONNECTIONS:-16}"
THREADS="${THREADS:-2}"

need_tools wrk curl
build_release

start_work
bench_database writes
[ "$BACKEND" != SQLite ] || BACKEND="SQLite (one file)"
say "seeding $VENDORS vendors"
"$CROSSBORDER" seed --synthetic "$VENDORS" --slug synthetic >/dev/null
TOKEN="$("$CROSSBORDER" token issue --sub bench --scope "registry:write" --ttl 1h)"

P1="$(free_port 18580)"
P2="$(free_port 18680 "$P1")"
for port in "$P1" "$P2"; do
    RUST_LOG=warn "$CROSSBORDER" serve --bind "127.0.0.1:$port" >"$WORK/serve-$port.log" 2>&1 &
    PIDS+=("$!")
    wait_ready "$!" "$port" "crossborder on $port"
done

cat >"$WORK/writes.lua" <<LUA
-- One transfer added to a random vendor per request; statuses tallied per thread.
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
    statuses = {}
    math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end
function request()
    local key = string.format("vendor-%05d", math.random(0, $VENDORS - 1))
    return wrk.format("POST", "/api/v1/organisations/synthetic/vendors/" .. key .. "/transfers",
        { ["Authorization"] = "Bearer $TOKEN", ["Content-Type"] = "application/json" },
        '{"country":"US","data_categories":["usage"],"mechanisms":[{"id":"scc_2021","signed_on":"2024-01-01"}]}')
end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
    local total = {}
    for _, t in ipairs(threads) do
        for status, n in pairs(t:get("statuses")) do total[status] = (total[status] or 0) + n end
    end
    for status, n in pairs(total) do io.write(string.format("status %s %d\n", status, n)) end
end
LUA

# run NAME URL...: one wrk per URL at once (two instances share the connections), summed.
failed=0
run() {
    local name="$1" out rps=0 line
    shift
    local per=$((CONNECTIONS / $#)) i=0 wrks=()
    [ "$per" -ge 1 ] || per=1
    for url in "$@"; do
        wrk -t"$THREADS" -c"$per" -d"$DURATION" --latency -s "$WORK/writes.lua" "$url" >"$WORK/wrk-$name-$i.txt" 2>&1 &
        wrks+=("$!")
        i=$((i + 1))
    done
    wait "${wrks[@]}"
    printf '%-22s' "$name"
    for out in "$WORK"/wrk-"$name"-*.txt; do
        rps=$(awk -v a="$rps" -v b="$(awk '/Requests\/sec/ {print $2}' "$out")" 'BEGIN {printf "%.1f", a + b}')
    done
    out="$WORK/wrk-$name-0.txt"
    printf ' %8s req/s  p50 %8s ms  p99 %8s ms ' "$rps" \
        "$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")" "$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")"
    cat "$WORK"/wrk-"$name"-*.txt | awk '$1 == "status" {n[$2] += $3} END {for (s in n) printf " %s:%d", s, n[s]}'
    echo
    if cat "$WORK"/wrk-"$name"-*.txt | awk '$1 == "status" && $2 != "201" {bad = 1} END {exit !bad}'; then
        failed=1
    fi
    grep -h "Socket errors" "$WORK"/wrk-"$name"-*.txt || true
}

say "$BACKEND, $VENDORS vendors, $CONNECTIONS connections, $DURATION per run"
run "one instance" "http://127.0.0.1:$P1"
run "two instances" "http://127.0.0.1:$P1" "http://127.0.0.1:$P2"
if [ "$failed" -ne 0 ]; then
    say "some writes did not answer 201: see the statuses above and $WORK/serve-*.log"
    exit 1
fi
say "every write answered 201"
