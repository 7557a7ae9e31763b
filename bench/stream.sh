#!/usr/bin/env bash
# How soon does the first request after a write get the whole JSON and CSV of a large list?
# (issue 17, point 10: they stay complete and stream). One synthetic organisation, `large`
# (20,000 vendors); ROUNDS times: a transfer added through the API (a new revision), then the
# first GET of /large/subprocessors.json, then of .csv, each timed to its first body byte and to
# its last, uncompressed; then one more GET of each (the kept copy). Each round first waits for
# the server to be idle: after each first GET the kept body's compressed variants are made on
# the blocking pool (about 2.5 s of CPU for a 75 MB JSON), which would otherwise share the two
# cores with the next render.
#
# Usage: bench/stream.sh
#        CROSSBORDER=/path/to/an/older/crossborder bench/stream.sh   (the same run on another build)
#
# Environment (all optional):
#   DATABASE_URL   a PostgreSQL server to run against instead of a temp SQLite file
#   CROSSBORDER    a crossborder binary to use instead of building the release binary
#   VENDORS        the organisation's size (default: 20000)
#   ROUNDS         timed first requests of each format (default: 5)
#
# Prints the medians and whether the body came chunked; talks only to 127.0.0.1 and cleans up
# (server, temp dir, database) on exit.
set -euo pipefail
BENCH=stream.sh
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
# shellcheck source=bench/common.sh
. bench/common.sh

VENDORS="${VENDORS:-20000}"
ROUNDS="${ROUNDS:-5}"

need_tools curl python3:python3-minimal
build_release

start_work
bench_database stream
say "seeding large ($VENDORS vendors)"
"$CROSSBORDER" seed --synthetic "$VENDORS" --slug large >/dev/null
TOKEN="$("$CROSSBORDER" token issue --sub bench --scope "registry:read registry:write" --ttl 1h)"
PORT="$(free_port 18890)"
RUST_LOG=warn "$CROSSBORDER" serve --bind "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
PID="$!"
PIDS+=("$PID")
wait_ready "$PID" "$PORT" crossborder

python3 - "$PORT" "$TOKEN" "$VENDORS" "$ROUNDS" "$PID" "$BACKEND" <<'EOF'
import http.client, json, os, random, statistics, sys, time

port, token, vendors, rounds, pid, backend = (int(sys.argv[1]), sys.argv[2], int(sys.argv[3]),
                                              int(sys.argv[4]), sys.argv[5], sys.argv[6])
random.seed(17)
ticks = os.sysconf("SC_CLK_TCK")


def cpu_seconds():
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime


def wait_idle():
    """Until the server used under 2% of a core over a second."""
    while True:
        before = cpu_seconds()
        time.sleep(1)
        if cpu_seconds() - before < 0.02:
            return


def connect():
    # A connection per request: the server closes keep-alive connections idle through a pause.
    return http.client.HTTPConnection("127.0.0.1", port, timeout=120)


def transfer_add():
    key = f"vendor-{random.randrange(vendors):05d}"
    conn = connect()
    body = json.dumps({"country": "US", "data_categories": ["usage"],
                       "mechanisms": [{"id": "scc_2021", "signed_on": "2024-01-01"}]})
    conn.request("POST", f"/api/v1/organisations/large/vendors/{key}/transfers", body=body,
                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    response = conn.getresponse()
    data = response.read()
    if response.status != 201:
        sys.exit(f"transfer add: {response.status} {data[:300]!r}")


def timed_get(path):
    conn = connect()
    start = time.perf_counter()
    conn.request("GET", path, headers={"Accept-Encoding": "identity"})
    response = conn.getresponse()
    first = response.read(1)
    first_byte = (time.perf_counter() - start) * 1000
    rest = response.read()
    total = (time.perf_counter() - start) * 1000
    if response.status != 200 or not first:
        sys.exit(f"GET {path}: {response.status} {rest[:300]!r}")
    chunked = response.getheader("Transfer-Encoding") == "chunked"
    return first_byte, total, 1 + len(rest), chunked


transfer_add()  # the first snapshot, untimed
print()
print(f"{backend}; {vendors} vendors; {rounds} first GETs of each format after a write, uncompressed, the server idle before each")
print()
print(f"{'format':6} {'bytes':>12} {'chunked':>8} {'first byte p50':>15} {'last byte p50':>14} {'kept copy':>10}")
for fmt in ("json", "csv"):
    path = f"/large/subprocessors.{fmt}"
    firsts, totals = [], []
    for _ in range(rounds):
        wait_idle()
        transfer_add()
        first, total, size, chunked = timed_get(path)
        firsts.append(first)
        totals.append(total)
    wait_idle()
    _, kept, _, _ = timed_get(path)
    print(f"{fmt:6} {size:12,} {'yes' if chunked else 'no':>8} {statistics.median(firsts):13.0f}ms "
          f"{statistics.median(totals):12.0f}ms {kept:8.0f}ms")
EOF
