# Shared by the benchmark scripts: messages, stopping processes, a throwaway PostgreSQL database,
# the tools, the release build, free ports, readiness and wrk's figures. A script sets BENCH (its
# name, for messages) and ROOT, then sources this file.

say() { printf '==> %s\n' "$*" >&2; }
die() {
    printf '%s: %s\n' "$BENCH" "$*" >&2
    exit 1
}

stop() { # stop PID NAME: TERM, up to 5 s, then KILL
    local pid="$1" name="$2" i
    [ -n "$pid" ] || return 0
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        say "$name did not stop on SIGTERM, killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

# --- a throwaway PostgreSQL database -------------------------------------------------------------

PG_ADMIN_URL=""
PG_DB=""
PG_VERSION=""

# The URL without user and password, for messages.
redact() { printf '%s\n' "$1" | sed -E 's#^([a-z]+://)[^@/]*@#\1#'; }

# create_database URL SETTING PREFIX: creates PREFIX_<random> on the PostgreSQL server of URL (on
# 127.0.0.1 only; SETTING names the URL in messages). Sets PG_ADMIN_URL, PG_DB, PG_VERSION and
# DB_URL; drop_database drops it.
create_database() {
    local url="$1" setting="$2" prefix="$3" scheme authority query host name
    [[ "$url" =~ ^(postgres(ql)?://)([^/?]*)(/[^?]*)?(\?.*)?$ ]] ||
        die "$setting is not a postgres:// URL: $(redact "$url")"
    scheme="${BASH_REMATCH[1]}" authority="${BASH_REMATCH[3]}" query="${BASH_REMATCH[5]}"
    host="${authority##*@}"
    host="${host%:*}"
    case "$host" in
    127.0.0.1 | localhost) ;;
    *) die "$setting must name a server on 127.0.0.1 (this benchmark talks to nothing else), not '$host'" ;;
    esac
    PG_ADMIN_URL="$url"
    psql "$PG_ADMIN_URL" -X -q -v ON_ERROR_STOP=1 -c 'SELECT 1' >/dev/null ||
        die "cannot connect to $(redact "$url") with psql"
    name="${prefix}_$(od -An -N4 -tx4 /dev/urandom | tr -d ' \n')"
    psql "$PG_ADMIN_URL" -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $name" >/dev/null ||
        die "cannot create database $name"
    PG_DB="$name"
    DB_URL="$scheme$authority/$PG_DB$query"
    PG_VERSION="$(psql "$PG_ADMIN_URL" -X -At -c 'SHOW server_version' 2>/dev/null | awk '{print $1}')"
}

drop_database() {
    [ -n "$PG_DB" ] || return 0
    if psql "$PG_ADMIN_URL" -X -q -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $PG_DB" >/dev/null 2>&1 ||
        psql "$PG_ADMIN_URL" -X -q -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1; then
        say "dropped database $PG_DB"
    else
        say "could not drop database $PG_DB: drop it by hand"
    fi
}

# --- tools and the binary ------------------------------------------------------------------------

# need_tools TOOL[:PACKAGE]...: installs the Debian package of each missing tool (needs root).
need_tools() {
    PATH="$PATH:/usr/sbin:/sbin"
    local spec tool missing=() packages=()
    for spec in "$@"; do
        tool="${spec%%:*}"
        command -v "$tool" >/dev/null 2>&1 && continue
        missing+=("$tool")
        packages+=("${spec#*:}")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        [ "$(id -u)" -eq 0 ] || die "missing ${missing[*]}; run as root to install them, or install them first"
        command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and no apt-get to install them"
        say "installing ${packages[*]} (missing: ${missing[*]})"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q >&2
        apt-get install -y -q --no-install-recommends "${packages[@]}" >&2
    fi
    command -v cargo >/dev/null 2>&1 || die "cargo not found (install Rust: https://rustup.rs)"
}

# build_release: builds the release binary into CARGO_TARGET_DIR (default: target); sets CROSSBORDER.
# A CROSSBORDER given in the environment is used as it is (a build made earlier).
build_release() {
    if [ -n "${CROSSBORDER:-}" ]; then
        [ -x "$CROSSBORDER" ] || die "CROSSBORDER=$CROSSBORDER is not an executable"
        say "using $CROSSBORDER"
        return 0
    fi
    export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
    case "$CARGO_TARGET_DIR" in
    /*) ;;
    *) CARGO_TARGET_DIR="$ROOT/$CARGO_TARGET_DIR" ;;
    esac
    say "building the release binary into $CARGO_TARGET_DIR"
    cargo build --release --bin crossborder >&2
    CROSSBORDER="$CARGO_TARGET_DIR/release/crossborder"
    [ -x "$CROSSBORDER" ] || die "no binary at $CROSSBORDER"
}

# --- ports and readiness -------------------------------------------------------------------------

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() { # free_port FIRST [EXCEPT...]
    local p="$1" first="$1" taken e
    shift
    while [ "$p" -lt $((first + 100)) ]; do
        taken=""
        for e in "$@"; do [ "$p" != "$e" ] || taken=yes; done
        if [ -z "$taken" ] && ! port_in_use "$p"; then
            echo "$p"
            return 0
        fi
        p=$((p + 1))
    done
    die "no free port on 127.0.0.1 from $first to $((first + 99))"
}

wait_ready() { # wait_ready PID PORT NAME: until /readyz answers, up to 30 s
    local i
    for i in $(seq 300); do
        kill -0 "$1" 2>/dev/null || die "$3 exited during start"
        if curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$2/readyz" 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    die "$3 not ready after 30 s"
}

# --- wrk's figures -------------------------------------------------------------------------------

to_ms() { # wrk latency (e.g. 812.00us, 3.21ms, 1.02s, 2.00m) -> milliseconds
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
        else if (u != "ms") { exit 1 }
        printf "%.2f", n
    }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# --- a work directory and a database of the script's own ---------------------------------------

WORK=""
PIDS=() # the servers a script starts, stopped on exit

# start_work: a temp directory in WORK; on exit the servers in PIDS are stopped, the database
# dropped and the directory removed.
start_work() {
    WORK="$(mktemp -d)"
    trap finish_work EXIT
}

finish_work() {
    local pid
    for pid in "${PIDS[@]}"; do stop "$pid" crossborder; done
    drop_database
    rm -rf "$WORK"
}

# bench_database NAME: a fresh database cb_bench_NAME_<random> on the PostgreSQL server that
# DATABASE_URL names, else an SQLite file in WORK; migrated. Sets DB_URL and BACKEND; exports
# DATABASE_URL and a JWT_SECRET for the script's tokens.
bench_database() {
    local name="$1"
    if [ -n "${DATABASE_URL:-}" ]; then
        need_tools psql:postgresql-client
        create_database "$DATABASE_URL" DATABASE_URL "cb_bench_$name"
        BACKEND="PostgreSQL $PG_VERSION"
    else
        DB_URL="sqlite://$WORK/$name.db"
        BACKEND="SQLite"
    fi
    export DATABASE_URL="$DB_URL"
    export JWT_SECRET="bench-$name-secret-of-at-least-thirty-two-bytes"
    "$CROSSBORDER" migrate >/dev/null
}
