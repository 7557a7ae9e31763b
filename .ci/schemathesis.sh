#!/usr/bin/env bash
# Property-based tests of the JSON API against its own OpenAPI document (schemathesis): the real
# server on 127.0.0.1 with a temporary database and a test secret, every /api/v1 operation fed
# generated inputs (valid and invalid), each response checked for server errors, documented
# status codes and content types, and bodies against the response schemas.
#
#   bash .ci/schemathesis.sh                   # 60 cases per operation and phase (~2 min on 2 cores)
#   MAX_EXAMPLES=20 bash .ci/schemathesis.sh   # a quick pass (~1 min)
#   MAX_TIME=600 bash .ci/schemathesis.sh      # keep fuzzing for 10 minutes
#
# The run is deterministic (same cases every time); reports (JUnit, HAR with every request and
# response) go to target/schemathesis-report/. The venv is target/schemathesis-venv/.
#
# Exit status: schemathesis's (non-zero when a check failed), or non-zero when the server did
# not start. The server is stopped on exit, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."

# Cases per operation and phase. MAX_TIME (seconds), when set, caps the run instead: schemathesis
# then goes on fuzzing until it is spent.
MAX_EXAMPLES="${MAX_EXAMPLES:-60}"
MAX_TIME="${MAX_TIME:-}"
VENV="$PWD/target/schemathesis-venv"
REPORT_DIR="$PWD/target/schemathesis-report"

# Only loopback: no proxy may be used for it.
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost

if [ ! -x "$VENV/bin/schemathesis" ]; then
  echo "== installing schemathesis into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --upgrade pip
  "$VENV/bin/pip" install --quiet schemathesis
fi
echo "== $("$VENV/bin/schemathesis" --version)"

echo "== cargo build"
cargo build --quiet
BIN=target/debug/crossborder

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A 40-byte test secret: it signs the token below and verifies it in the server.
export JWT_SECRET="schemathesis-test-secret-0123456789abcde"
[ "${#JWT_SECRET}" -eq 40 ]
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
BASE="http://127.0.0.1:$PORT"

echo "== starting crossborder on $BASE (database in $WORK)"
RUST_LOG="${RUST_LOG:-warn}" "$BIN" serve --bind "127.0.0.1:$PORT" \
  --database-url "sqlite://$WORK/schemathesis.db" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

# No webhooks:manage: fuzzed endpoints would have the server post to made-up hosts, and the
# tests reach nothing beyond 127.0.0.1.
TOKEN="$("$BIN" token issue --sub schemathesis \
  --scope "registry:read registry:write intake:write objections:write" --ttl 1h)"

ready=""
for _ in $(seq 1 100); do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "the server stopped:" >&2
    cat "$WORK/server.log" >&2
    exit 1
  fi
  if python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
    "$BASE/readyz" 2>/dev/null; then
    ready=1
    break
  fi
  sleep 0.2
done
if [ -z "$ready" ]; then
  echo "the server was not ready on $BASE/readyz after 20 s:" >&2
  cat "$WORK/server.log" >&2
  exit 1
fi

# Half the generated path and body values name records that exist (the example organisations,
# their vendors and transfers), so that the 200 and 201 bodies are checked against their schemas
# too, not only the 404s of random names.
cat >"$WORK/schemathesis.toml" <<'TOML'
[dictionaries.organisations]
values = ["arturia", "jamendo", "qobuz", "qtrax", "spotify"]

[dictionaries.vendors]
values = ["google-analytics", "facebook", "payment-provider", "web-analytics-other",
          "analytics-provider", "twitter", "hosting-provider", "payment-providers",
          "analytics-providers", "advertising-partners", "payment-partners", "subcontractors"]

[dictionaries.ids]
values = [1, 2, 3, 5, 6, 8, 10, 12, 20, 23, 33, 36]

[dictionaries.countries]
values = ["FR", "US", "DE", "GB", "CH", "JP", "IN", "CN", "BR", "IO-EPO", "gb"]

[dictionaries.mechanisms]
values = ["privacy_shield", "dpf", "scc_2010", "scc_2021", "bcr", "consent", "safe_harbour"]

[dictionaries.dates]
values = ["2019-05-23", "2021-01-01", "2020-07-16", "2023-07-10", "2010-05-15"]

[dictionaries.new_keys]
values = ["st-vendor", "st-cdn", "st-analytics-2", "google-analytics", "st-hosting"]

[dictionaries.roles]
values = ["processor", "sub_processor", "independent_controller", "joint_controller"]

[dictionaries.categories]
values = ["hosting", "payments", "analytics", "advertising", "email", "cdn", "other"]

[dictionaries.data_categories]
values = ["identity", "contact", "usage", "device_and_network", "payment"]

[dictionaries.statuses]
values = ["proposed", "active"]

[dictionaries.urls]
values = ["https://www.example.com", "https://cdn.example.net/dpa.pdf"]

[dictionaries.versions]
values = ["\"1\"", "\"2\"", "\"3\""]

[parameters]
"header.If-Match" = { dictionary = "versions", probability = 0.6 }
"body.key" = { dictionary = "new_keys", probability = 0.6 }
"body.role" = { dictionary = "roles", probability = 0.7 }
"body.status" = { dictionary = "statuses", probability = 0.6 }
"body.categories[*]" = { dictionary = "categories", probability = 0.7 }
"body.data_categories[*]" = { dictionary = "data_categories", probability = 0.7 }
"body.website" = { dictionary = "urls", probability = 0.5 }
"body.dpa_url" = { dictionary = "urls", probability = 0.5 }
"body.transfers[*].data_categories[*]" = { dictionary = "data_categories", probability = 0.7 }
"body.transfers[*].mechanisms[*].id" = { dictionary = "mechanisms", probability = 0.6 }
"path.org" = { dictionary = "organisations", probability = 0.6 }
"path.key" = { dictionary = "vendors", probability = 0.6 }
"path.id" = { dictionary = "ids", probability = 0.6 }
"query.as_of" = { dictionary = "dates", probability = 0.5 }
"query.country" = { dictionary = "countries", probability = 0.5 }
"body.organisation" = { dictionary = "organisations", probability = 0.6 }
"body.exporter" = { dictionary = "countries", probability = 0.6 }
"body.importer" = { dictionary = "countries", probability = 0.6 }
"body.country" = { dictionary = "countries", probability = 0.6 }
"body.headquarters" = { dictionary = "countries", probability = 0.6 }
"body.countries[*]" = { dictionary = "countries", probability = 0.6 }
"body.mechanisms[*].id" = { dictionary = "mechanisms", probability = 0.6 }
"body.transfers[*].country" = { dictionary = "countries", probability = 0.6 }
"body.effective_on" = { dictionary = "dates", probability = 0.5 }
TOML

echo "== schemathesis run $BASE/api/openapi.json (max $MAX_EXAMPLES examples${MAX_TIME:+, ${MAX_TIME}s})"
status=0
time_cap=()
if [ -n "$MAX_TIME" ]; then
  time_cap=(--max-time "$MAX_TIME")
fi
# From the temporary directory: hypothesis and schemathesis keep their caches in the working
# directory, which must not be the source tree.
(cd "$WORK" && "$VENV/bin/schemathesis" --config-file "$WORK/schemathesis.toml" run "$BASE/api/openapi.json" \
  --url "$BASE" \
  --header "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
  --max-examples "$MAX_EXAMPLES" \
  "${time_cap[@]}" \
  --generation-deterministic \
  --workers 1 \
  --continue-on-failure \
  --request-timeout 10 \
  --max-redirects 0 \
  --no-color \
  --report junit,har \
  --report-dir "$REPORT_DIR") || status=$?

if grep -q "panicked\|ERROR" "$WORK/server.log"; then
  echo "== server errors logged:"
  grep "panicked\|ERROR" "$WORK/server.log" | head -20
fi
echo "== schemathesis exit status $status (reports in $REPORT_DIR)"
exit "$status"
