#!/usr/bin/env bash
# Statements one vendor PUT costs, counted from outside in PostgreSQL's own log
# (log_statement=all on a throwaway database), for an organisation of 10 vendors and one of 1,000.
# A write locks its organisation and loads only the vendor it changes, so both counts must be the
# same, and at most 16 (BEGIN and COMMIT included).
#
# Usage: bench/statements.sh                      (the local server, postgres://postgres@127.0.0.1/test)
#        DATABASE_URL=postgres://USER@127.0.0.1:5432/DB bench/statements.sh
#
# Environment (all optional): DATABASE_URL (a PostgreSQL server on 127.0.0.1), CROSSBORDER (a
# built binary instead of the release build), PG_LOG (the server's log file; default: the newest
# /var/log/postgresql/postgresql-*.log, readable by this user).
#
# Prints each PUT's status and its statements; exits 1 when the counts differ or exceed 16.
set -euo pipefail
BENCH=statements.sh
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
# shellcheck source=bench/common.sh
. bench/common.sh

need_tools curl psql:postgresql-client python3
build_release
PG_LOG="${PG_LOG:-$(ls -t /var/log/postgresql/postgresql-*.log 2>/dev/null | head -n 1)}"
[ -r "$PG_LOG" ] || die "cannot read PostgreSQL's log (set PG_LOG)"

start_work

create_database "${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}" DATABASE_URL cb_bench_statements
psql "$PG_ADMIN_URL" -X -q -v ON_ERROR_STOP=1 -c "ALTER DATABASE $PG_DB SET log_statement = 'all'" >/dev/null
export DATABASE_URL="$DB_URL"
export JWT_SECRET="bench-statements-secret-of-at-least-thirty-two-bytes"
"$CROSSBORDER" migrate >/dev/null
"$CROSSBORDER" seed --synthetic 10 --slug small >/dev/null
"$CROSSBORDER" seed --synthetic 1000 --slug large >/dev/null
TOKEN="$("$CROSSBORDER" token issue --sub bench --scope "registry:read registry:write")"
PORT="$(free_port 18780)"
RUST_LOG=warn "$CROSSBORDER" serve --bind "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
PID="$!"
PIDS+=("$PID")
wait_ready "$PID" "$PORT" crossborder

api="http://127.0.0.1:$PORT/api/v1/organisations"
body='{"key":"vendor-00005","name":"Vendor 00005 renamed","role":"sub_processor",
       "categories":["hosting"],"purpose":"Synthetic service number 5","status":"active"}'
counts=()
for slug in small large; do
    version="$(curl -fsS -H "Authorization: Bearer $TOKEN" "$api/$slug/vendors/vendor-00005" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["version"])')"
    before="$(wc -l <"$PG_LOG")"
    status="$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H "Authorization: Bearer $TOKEN" \
        -H "If-Match: \"$version\"" -H 'Content-Type: application/json' \
        "$api/$slug/vendors/vendor-00005" -d "$body")"
    sleep 0.5 # the log is written asynchronously
    tail -n +"$((before + 1))" "$PG_LOG" | grep -E 'LOG:  (statement|execute)' |
        sed -E 's/.*LOG:  //' | cut -c1-100 >"$WORK/$slug.txt"
    n="$(wc -l <"$WORK/$slug.txt")"
    counts+=("$n")
    printf '%-6s PUT %s: %s statements\n' "$slug" "$status" "$n"
    sed 's/^/    /' "$WORK/$slug.txt"
    [ "$status" = 200 ] || die "the PUT on $slug answered $status"
done
if [ "${counts[0]}" != "${counts[1]}" ] || [ "${counts[1]}" -gt 16 ]; then
    die "a vendor PUT must cost the same at 10 and 1,000 vendors, at most 16: ${counts[*]}"
fi
say "a vendor PUT costs ${counts[1]} statements at 10 and at 1,000 vendors"
