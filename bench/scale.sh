#!/usr/bin/env bash
# Does the cost of a write, and of the first render after it, grow with the organisation? (issue 16)
# Two synthetic organisations in one database, `small` (100 vendors) and `large` (10,000), one
# crossborder serving both:
#   writes   a vendor PUT (If-Match) and a transfer add (POST), each ROUNDS times one after the
#            other on one keep-alive connection, on random vendors of each organisation; the
#            median and p90 of each request's time at both sizes, and their ratio
#   render   the first GET of /large/subprocessors after a write (the write changes the revision,
#            so the snapshot is loaded and the page rendered again), RENDERS times
#   memory   the server's resident memory once every public rendering (HTML in every encoding,
#            JSON, CSV, Atom) and the API reads of both organisations are cached
# Goals: each write's median at 10,000 vendors within 30% of its median at 100; the first render
# after a write under 300 ms (median); resident memory under 300 MB with the cache warm.
#
# Usage: bench/scale.sh
#        DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres bench/scale.sh
#
# Environment (all optional):
#   DATABASE_URL   a PostgreSQL server to run against instead of a temp SQLite file (a fresh
#                  database is created on it and dropped on exit)
#   CROSSBORDER    a crossborder binary to use instead of building the release binary
#   SMALL, LARGE   the two organisations' sizes (default: 100 and 10000)
#   ROUNDS         timed writes of each kind per organisation (default: 200)
#   RENDERS        timed first renders after a write (default: 10)
#
# Prints the tables and PASS/FAIL per goal; the exit status is 0 unless something broke. Talks
# only to 127.0.0.1 and cleans up (server, temp dir, database) on exit.
set -euo pipefail
BENCH=scale.sh
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
# shellcheck source=bench/common.sh
. bench/common.sh

SMALL="${SMALL:-100}"
LARGE="${LARGE:-10000}"
ROUNDS="${ROUNDS:-200}"
RENDERS="${RENDERS:-10}"

need_tools curl python3:python3-minimal
build_release

start_work
bench_database scale
say "seeding small ($SMALL vendors) and large ($LARGE vendors)"
"$CROSSBORDER" seed --synthetic "$SMALL" --slug small >/dev/null
"$CROSSBORDER" seed --synthetic "$LARGE" --slug large >/dev/null
TOKEN="$("$CROSSBORDER" token issue --sub bench --scope "registry:read registry:write" --ttl 1h)"
PORT="$(free_port 18880)"
RUST_LOG=warn "$CROSSBORDER" serve --bind "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
PID="$!"
PIDS+=("$PID")
wait_ready "$PID" "$PORT" crossborder

python3 - "$PORT" "$TOKEN" "$PID" "$SMALL" "$LARGE" "$ROUNDS" "$RENDERS" "$BACKEND" <<'EOF'
import http.client, json, random, statistics, sys, time

port, token, pid = int(sys.argv[1]), sys.argv[2], sys.argv[3]
small, large, rounds, renders, backend = int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), sys.argv[8]
sizes = {"small": small, "large": large}
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
auth = {"Authorization": f"Bearer {token}"}
random.seed(16)


def call(method, path, body=None, headers=None, expect=(200,)):
    h = dict(auth)
    h.update(headers or {})
    if body is not None:
        body = json.dumps(body)
        h["Content-Type"] = "application/json"
    start = time.perf_counter()
    conn.request(method, path, body=body, headers=h)
    response = conn.getresponse()
    data = response.read()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status not in expect:
        sys.exit(f"{method} {path}: {response.status} {data[:300]!r}")
    return response, data, elapsed


# The vendors each organisation's PUTs rename, read once before the timed writes (a GET after a
# write would build the organisation's snapshot again, untimed but slow), with their ETags kept
# from each PUT's answer.
PUT_POOL = 20
known = {}


def read_vendor(org, key):
    path = f"/api/v1/organisations/{org}/vendors/{key}"
    response, data, _ = call("GET", path)
    vendor = json.loads(data)
    known[(org, key)] = ({"key": key, "role": vendor["role"], "categories": vendor["categories"],
                          "purpose": vendor["purpose"], "status": vendor["status"]},
                         response.getheader("ETag"))


def vendor_put(org, n):
    key = f"vendor-{(n // PUT_POOL) * random.randrange(PUT_POOL):05d}"
    path = f"/api/v1/organisations/{org}/vendors/{key}"
    fields, etag = known[(org, key)]
    body = dict(fields, name=f"Vendor {key[7:]} r{random.randrange(10**6)}")
    response, _, ms = call("PUT", path, body, {"If-Match": etag})
    known[(org, key)] = (fields, response.getheader("ETag"))
    return ms


def transfer_add(org, n):
    key = f"vendor-{random.randrange(n):05d}"
    body = {"country": "US", "data_categories": ["usage"],
            "mechanisms": [{"id": "scc_2021", "signed_on": "2024-01-01"}]}
    _, _, ms = call("POST", f"/api/v1/organisations/{org}/vendors/{key}/transfers", body, expect=(201,))
    return ms


def summary(times):
    times = sorted(times)
    return statistics.median(times), times[int(len(times) * 0.9) - 1]


def report(rows):
    for row in rows:
        print(row)


# Warm both organisations up, so neither pays a first load inside the timed writes.
for org in sizes:
    call("GET", f"/api/v1/organisations/{org}/vendors")
    for i in range(PUT_POOL):
        read_vendor(org, f"vendor-{(sizes[org] // PUT_POOL) * i:05d}")
    for _ in range(5):
        vendor_put(org, sizes[org])
        transfer_add(org, sizes[org])

results, goals = {}, []
for kind, write in (("vendor PUT", vendor_put), ("transfer add", transfer_add)):
    for org in sizes:
        results[(kind, org)] = summary([write(org, sizes[org]) for _ in range(rounds)])

print()
print(f"{backend}; small {small} vendors, large {large} vendors; {rounds} writes of each kind per organisation, one after the other")
print()
print(f"{'write':14} {'small p50':>10} {'small p90':>10} {'large p50':>10} {'large p90':>10} {'large/small p50':>16}")
for kind in ("vendor PUT", "transfer add"):
    (sp50, sp90), (lp50, lp90) = results[(kind, "small")], results[(kind, "large")]
    ratio = lp50 / sp50
    print(f"{kind:14} {sp50:9.2f}ms {sp90:9.2f}ms {lp50:9.2f}ms {lp90:9.2f}ms {ratio:16.2f}")
    goals.append(f"{kind}: median at {large} within 30% of {small}: {'PASS' if ratio <= 1.3 else 'FAIL'} ({ratio:.2f})")

# The first render of the large list after a write: the write changes the revision.
page = "/large/subprocessors"
times, size = [], 0
for _ in range(renders):
    transfer_add("large", large)
    _, data, ms = call("GET", page, headers={"Accept-Encoding": "identity"})
    times.append(ms)
    size = len(data)
    _, _, again = call("GET", page, headers={"Accept-Encoding": "identity"})
p50 = statistics.median(times)
print()
print(f"first GET {page} after a write ({renders} times, {size:,} bytes): median {p50:.0f} ms, "
      f"slowest {max(times):.0f} ms; the next GET (cached): {again:.1f} ms")
goals.append(f"first render after a write under 300 ms: {'PASS' if p50 < 300 else 'FAIL'} ({p50:.0f} ms)")

# Memory with the cache warm: every public rendering in every encoding, and the API reads.
for org in sizes:
    for path in (f"/{org}/subprocessors", f"/{org}/subprocessors.json", f"/{org}/subprocessors.csv",
                 f"/{org}/subprocessors.atom"):
        for encoding in ("identity", "gzip", "br", "zstd"):
            call("GET", path, headers={"Accept-Encoding": encoding})
    call("GET", f"/api/v1/organisations/{org}/vendors")
    call("GET", f"/api/v1/organisations/{org}/vendors/vendor-00042")
    call("GET", f"/api/v1/organisations/{org}/lookup?domain=vendor-00042.example")
time.sleep(5)  # large bodies are compressed off the request path
conn.close()  # the server closes idle keep-alive connections; the next call opens a new one
for path in (f"/large/subprocessors",):
    for encoding in ("gzip", "br", "zstd"):
        call("GET", path, headers={"Accept-Encoding": encoding})
status = dict(line.split(":", 1) for line in open(f"/proc/{pid}/status") if ":" in line)
rss = int(status["VmRSS"].split()[0]) / 1024
hwm = int(status["VmHWM"].split()[0]) / 1024
print(f"server memory with the cache warm: resident {rss:.0f} MB, peak resident {hwm:.0f} MB")
goals.append(f"resident memory under 300 MB with the cache warm: {'PASS' if rss < 300 else 'FAIL'} ({rss:.0f} MB)")
print()
for goal in goals:
    print(f"Goal: {goal}")
EOF
