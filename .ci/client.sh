#!/usr/bin/env bash
# The OpenAPI document as a client sees it: the served /api/openapi.json validated
# (openapi-spec-validator), a Python client generated from it (openapi-python-client), and that
# client's flow (.ci/client_flow.py: list, look up, intake, assess, a write with If-Match) run
# against the real server on 127.0.0.1 with a temporary database.
#
#   bash .ci/client.sh        # ~1 min once the venv exists (target/client-venv)
#
# Exit status: non-zero when the document is invalid, no client can be generated, or the flow
# fails. The server is stopped on exit, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="$PWD/target/client-venv"
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost

if [ ! -x "$VENV/bin/openapi-python-client" ] || [ ! -x "$VENV/bin/openapi-spec-validator" ]; then
  echo "== installing openapi-spec-validator and openapi-python-client into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --upgrade pip
  "$VENV/bin/pip" install --quiet openapi-spec-validator openapi-python-client
fi

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

export JWT_SECRET="generated-client-test-secret-0123456789a"
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
BASE="http://127.0.0.1:$PORT"

echo "== starting crossborder on $BASE (database in $WORK)"
RUST_LOG="${RUST_LOG:-warn}" "$BIN" serve --bind "127.0.0.1:$PORT" \
  --database-url "sqlite://$WORK/client.db" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

for _ in $(seq 1 100); do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "the server stopped:" >&2
    cat "$WORK/server.log" >&2
    exit 1
  fi
  if python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
    "$BASE/readyz" 2>/dev/null; then
    break
  fi
  sleep 0.2
done

echo "== openapi-spec-validator $BASE/api/openapi.json"
python3 -c 'import sys, urllib.request; sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1]).read())' \
  "$BASE/api/openapi.json" >"$WORK/openapi.json"
"$VENV/bin/openapi-spec-validator" "$WORK/openapi.json"

echo "== openapi-python-client generate"
(cd "$WORK" && "$VENV/bin/openapi-python-client" generate --path "$WORK/openapi.json" \
  --output-path "$WORK/client" --overwrite)

echo "== the generated client's flow"
TOKEN="$("$BIN" token issue --sub ci-generated-client \
  --scope "registry:read registry:write intake:write" --ttl 1h)"
BASE_URL="$BASE" TOKEN="$TOKEN" PYTHONPATH="$WORK/client" "$VENV/bin/python" .ci/client_flow.py

if grep -q "panicked\|ERROR" "$WORK/server.log"; then
  echo "== server errors logged:"
  grep "panicked\|ERROR" "$WORK/server.log" | head -20
  exit 1
fi
