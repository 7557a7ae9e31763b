#!/usr/bin/env bash
# Render benchmark: what a page costs when the cache cannot answer (the first render after a
# write, which changes the revision) and when it can (the cached page), for one or more git
# revisions side by side, on a synthetic organisation of 1,000 vendors.
#
# Usage: bench/render.sh [REV...]       (default: HEAD)
#        bench/render.sh 1e3190c^ HEAD  (before and after the versioned history)
#
# Environment (all optional):
#   VENDORS        vendors in the synthetic organisation (default: 1000)
#   RENDERS        uncached renders timed per revision (default: 30)
#   DURATION       wrk duration on the cached page (default: 10s)
#   CONNECTIONS    wrk connections on the cached page (default: 8)
#   BENCH_TARGET   the cargo target directory shared by the revisions' builds (default:
#                  /tmp/crossborder-bench-render-target)
#
# What it does, per revision: checks it out into a temp git worktree, builds its release binary,
# seeds a fresh SQLite database with `seed --synthetic`, starts `serve`, then
#   - renders: RENDERS requests, one after the other, each for a day (`as_of`) not asked before,
#     so each one misses the cache and renders the list from the database, as the first request
#     after a write does; prints the median and 90th percentile of curl's total time;
#   - cached: wrk -t2 -cCONNECTIONS on the page of today, rendered once, then served from the
#     cache; prints requests/s and p50.
# Talks only to 127.0.0.1; removes the worktrees, databases and servers on exit.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

VENDORS="${VENDORS:-1000}"
RENDERS="${RENDERS:-30}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-8}"
export CARGO_TARGET_DIR="${BENCH_TARGET:-/tmp/crossborder-bench-render-target}"
SLUG=synthetic
REVS=("$@")
[ "${#REVS[@]}" -gt 0 ] || REVS=(HEAD)

BENCH=render.sh
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

TMP=""
CB_PID=""
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    stop "$CB_PID" crossborder
    if [ -n "$TMP" ]; then
        for wt in "$TMP"/src-*; do
            [ -d "$wt" ] && git -C "$ROOT" worktree remove --force "$wt" >/dev/null 2>&1
        done
        rm -rf "$TMP"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

need_tools wrk curl
TMP="$(mktemp -d "${TMPDIR:-/tmp}/crossborder-render.XXXXXX")"

# One line per revision: rev, commit, median and p90 of the uncached renders, cached req/s, p50.
RESULTS=()
for rev in "${REVS[@]}"; do
    commit="$(git rev-parse --short "$rev^{commit}")" || die "no such revision: $rev"
    src="$TMP/src-$commit"
    say "$rev ($commit): checking out and building"
    git worktree add --detach "$src" "$commit" >/dev/null 2>&1 || die "cannot check out $commit"
    (cd "$src" && cargo build --release --bin crossborder >&2)
    bin="$TMP/crossborder-$commit"
    cp "$CARGO_TARGET_DIR/release/crossborder" "$bin"

    db="sqlite://$TMP/$commit.db"
    "$bin" seed --synthetic "$VENDORS" --slug "$SLUG" --database-url "$db" >"$TMP/seed-$commit.log" 2>&1 ||
        { cat "$TMP/seed-$commit.log" >&2; die "seeding failed"; }
    port="$(free_port 18280)"
    "$bin" serve --bind "127.0.0.1:$port" --database-url "$db" >"$TMP/serve-$commit.log" 2>&1 &
    CB_PID=$!
    wait_ready "$CB_PID" "$port" crossborder
    page="http://127.0.0.1:$port/$SLUG/subprocessors"

    # Uncached: a new day each time (from 2024-01-02 on, when every synthetic vendor is listed).
    times=()
    for i in $(seq "$RENDERS"); do
        day="$(date -d "2024-01-01 + $i days" +%F)"
        t="$(curl -fsS -o /dev/null -w '%{time_total}' --max-time 60 "$page?as_of=$day")" ||
            die "GET $page?as_of=$day failed"
        times+=("$t")
    done
    read -r median p90 < <(printf '%s\n' "${times[@]}" | sort -n |
        awk '{ v[NR] = $1 } END { printf "%.1f %.1f\n", v[int((NR + 1) / 2)] * 1000, v[int(NR * 0.9 + 0.5)] * 1000 }')

    # Cached: today's page, rendered once, then from the cache.
    curl -fsS -o /dev/null --max-time 60 "$page" || die "GET $page failed"
    out="$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$page")"
    rps="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")"
    p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")"

    stop "$CB_PID" crossborder
    CB_PID=""
    RESULTS+=("$rev $commit $median $p90 $rps $p50")
done

printf '\n| revision | commit | uncached render, median | p90 | cached page, requests/s | p50 |\n'
printf '|---|---|---|---|---|---|\n'
for line in "${RESULTS[@]}"; do
    read -r rev commit median p90 rps p50 <<<"$line"
    printf '| %s | %s | %s ms | %s ms | %s | %s ms |\n' "$rev" "$commit" "$median" "$p90" "$rps" "$p50"
done
