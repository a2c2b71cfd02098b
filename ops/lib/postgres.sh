# shellcheck shell=bash
# The project's PostgreSQL clusters (main, and the isolated test cluster; never the system's
# 15/main): init, configuration, start and stop with pg_ctl, roles and databases; psql, retention.

# use_cluster main|test [create] : sets PGC_* for one of the two clusters ('create': the test
# cluster's private directory is made when it has none yet).
use_cluster() {
  if [[ $1 == main ]]; then
    PGC_NAME=postgres
    PGC_DATA=$PAPERTAPE_HOME/data/postgres
    PGC_SOCK=$RUN/postgres
    PGC_LOG=$LOGS/postgres.log
    PGC_LISTEN=$PAPERTAPE_BIND_ADDRESS
    PGC_PORT=$PAPERTAPE_DB_PORT
    PGC_PORT_VAR=PAPERTAPE_DB_PORT
    PGC_DB=$PAPERTAPE_DB_NAME
    PGC_USER=$PAPERTAPE_DB_USER
    PGC_PASSWORD=$PAPERTAPE_DB_PASSWORD
  else
    local base=$PAPERTAPE_HOME/test
    # As root the server runs as user postgres, which must reach the data dir. A checkout under a
    # private home (e.g. /root) is not reachable: keep the throwaway test cluster in a private
    # directory under /var/tmp then (test_tmp_dir).
    if is_root && id postgres >/dev/null 2>&1 && ! pg_can_reach "$PAPERTAPE_HOME"; then
      test_tmp_dir "${2:-}"
      base=$TEST_TMP_DIR
    fi
    PGC_NAME=postgres-test
    PGC_DATA=$base/postgres
    PGC_SOCK=$base/run
    PGC_LOG=$LOGS/postgres-test.log
    PGC_LISTEN=127.0.0.1
    PGC_PORT=$PAPERTAPE_TEST_DB_PORT
    PGC_PORT_VAR=PAPERTAPE_TEST_DB_PORT
    PGC_DB=papertape_test
    PGC_USER=papertape
    PGC_PASSWORD=papertape
  fi
}

pg_can_reach() { runuser -u postgres -- test -x "$1" 2>/dev/null; }

# test_tmp_dir [create] : TEST_TMP_DIR = the test cluster's directory under /var/tmp, as root. Its
# name is random (mktemp) and recorded in RUN/test-dir (root's); a recorded directory is used again
# only while it is still root's own real directory, writable by nobody else (in sticky /var/tmp
# nobody else can then swap it). /nonexistent when there is none and 'create' was not asked.
test_tmp_dir() {
  local record=$RUN/test-dir dir=''
  if [[ -f $record && ! -L $record ]]; then
    dir=$(head -n 1 "$record")
    if [[ $dir == /var/tmp/papertape-test.* && ! -L $dir ]] && root_dir_ok "$dir"; then
      TEST_TMP_DIR=$dir
      return 0
    fi
  fi
  TEST_TMP_DIR=/nonexistent
  [[ ${1:-} == create ]] || return 0
  mkdir -p "$RUN"
  root_dir_ok "$RUN" || die "$RUN must belong to root and be writable by nobody else"
  dir=$(mktemp -d /var/tmp/papertape-test.XXXXXXXXXX) || die "could not create a directory under /var/tmp for the test cluster"
  # ours since mktemp made it: opened up only so that user postgres can traverse it
  chmod 755 -- "$dir"
  printf '%s\n' "$dir" >"$record"
  TEST_TMP_DIR=$dir
}

pg_bin() {
  [[ -n ${PG_BIN:-} ]] || {
    local ver
    ver=$(pg_version_with_timescaledb)
    [[ -n $ver ]] || die "no PostgreSQL with TimescaleDB installed: run $PROG install"
    PG_VERSION=$ver
    PG_BIN=/usr/lib/postgresql/$ver/bin
  }
}

pgc_running() { as_pg "$PG_BIN/pg_ctl" status -D "$PGC_DATA" >/dev/null 2>&1; }

# A directory owned by the server's user (postgres when we are root). Its parent is root's, so
# the checks below cannot be raced; a symbolic link is refused, never followed.
pg_dir() {
  local dir=$1 mode=$2
  [[ ! -L $dir ]] || die "refusing $dir: it is a symbolic link (remove it; the cluster needs a real directory)"
  mkdir -p "$dir"
  chmod "$mode" -- "$dir"
  if is_root; then chown -h postgres:postgres -- "$dir"; fi
}

pgc_init() {
  if [[ -f $PGC_DATA/PG_VERSION ]]; then return 0; fi
  local parent
  parent=$(dirname "$PGC_DATA")
  [[ ! -L $parent ]] || die "refusing $parent: it is a symbolic link"
  mkdir -p "$parent"
  chmod 755 -- "$parent"
  if is_root && ! pg_can_reach "$parent"; then
    die "user postgres cannot reach $parent: make its parents traversable (chmod o+x) or set PAPERTAPE_HOME elsewhere (e.g. /var/lib/papertape)"
  fi
  pg_dir "$PGC_DATA" 700
  as_pg "$PG_BIN/initdb" -D "$PGC_DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --no-locale 2>&1 | log_append "$PGC_LOG" || {
    tail_log "$PGC_LOG"
    die "initdb failed for $(rel "$PGC_DATA")"
  }
  echo "include 'papertape.conf'" | as_pg tee -a "$PGC_DATA/postgresql.conf" >/dev/null
  ok "$PGC_NAME: new cluster in $(rel "$PGC_DATA") (PostgreSQL $PG_VERSION)"
}

# Settings rewritten at every start, so a changed port in .env applies.
pgc_write_conf() {
  as_pg tee "$PGC_DATA/papertape.conf" >/dev/null <<EOF
# Written by ./papertape at every start: edit .env instead.
listen_addresses = '$PGC_LISTEN'
port = $PGC_PORT
unix_socket_directories = '$PGC_SOCK'
shared_preload_libraries = 'timescaledb'
timescaledb.telemetry_level = off
max_connections = 200
EOF
  # pg_hba.conf (initdb's) admits 127.0.0.1 and ::1. Bound to another address of this machine, the
  # parts connect from that address: admit exactly it, nothing wider (other machines stay out).
  local hba=$PGC_DATA/pg_hba.conf mark='# papertape: PAPERTAPE_BIND_ADDRESS'
  as_pg sed -i "/$mark\$/d" "$hba"
  if [[ $PGC_LISTEN != 127.0.0.1 && $PGC_LISTEN != 0.0.0.0 ]]; then
    echo "host all all $PGC_LISTEN/32 scram-sha-256 $mark" | as_pg tee -a "$hba" >/dev/null
  fi
}

# Superuser psql over the cluster's private socket.
pgc_admin_psql() {
  as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PGC_SOCK" -p "$PGC_PORT" -U postgres "$@"
}

# Role with password and a database owned by it; idempotent (the password follows the settings).
pgc_ensure_role_db() {
  pgc_admin_psql -d postgres -v role="$PGC_USER" -v pw="$PGC_PASSWORD" -v db="$PGC_DB" <<'SQL' 2>&1 | log_append "$PGC_LOG" || {
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'role', :'pw') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL
    tail_log "$PGC_LOG"
    die "$PGC_NAME: could not create role $PGC_USER / database $PGC_DB"
  }
}

# What a cluster needs before its server starts: a short enough socket path, the data directory
# (initdb once), the socket directory, the configuration from the settings.
pgc_prepare() {
  # A unix socket path has at most 107 bytes.
  if ((${#PGC_SOCK} > 90)); then
    die "$PGC_NAME: socket directory path too long ($PGC_SOCK); set PAPERTAPE_HOME to a shorter path"
  fi
  mkdir -p "$LOGS" "$RUN"
  pgc_init
  pg_dir "$PGC_SOCK" 700
  pgc_write_conf
}

pgc_start() {
  local start pid
  pg_bin
  if pgc_running; then
    pgc_ensure_role_db
    ok "$PGC_NAME already running: $PGC_LISTEN:$PGC_PORT  pid $(head -n 1 "$PGC_DATA/postmaster.pid")"
    return 0
  fi
  check_port_free "$PGC_NAME" "$PGC_PORT_VAR"
  pgc_prepare
  start=$(now)
  # The server's output goes through a rotator of its own (owner of the logs, own session, alive
  # as long as the server holds the pipe), so user postgres needs no access to the logs.
  printf '\n=== %s: %s starting (./papertape) ===\n' "$(date '+%F %T')" "$PGC_NAME" | log_append "$PGC_LOG"
  log_writer "$PGC_LOG"
  local rotator
  as_pg "$PG_BIN/pg_ctl" start -D "$PGC_DATA" -w -t 30 > >(exec setsid "${LOG_WRITER[@]}" >/dev/null 2>&1) 2>&1 || {
    rotator=$!
    # the rotator ends with the failed server's output: let it write that before showing it
    for _ in {1..20}; do kill -0 "$rotator" 2>/dev/null || break; sleep 0.1; done
    tail_log "$PGC_LOG"
    die "$PGC_NAME did not start within 30 s; the log is above"
  }
  pgc_ensure_role_db
  pid=$(head -n 1 "$PGC_DATA/postmaster.pid")
  echo "$pid" >"$RUN/$PGC_NAME.pid"
  ok "$PGC_NAME ready ($(($(now) - start)) s): $PGC_LISTEN:$PGC_PORT db=$PGC_DB user=$PGC_USER  pid $pid  log $(rel "$PGC_LOG")"
}

pgc_stop() {
  pg_bin
  [[ -f $PGC_DATA/PG_VERSION ]] || return 0
  if pgc_running; then
    local pid
    pid=$(head -n 1 "$PGC_DATA/postmaster.pid")
    as_pg "$PG_BIN/pg_ctl" stop -D "$PGC_DATA" -m fast -w -t 30 2>&1 | log_append "$PGC_LOG" ||
      die "$PGC_NAME did not stop; see $(rel "$PGC_LOG")"
    ok "$PGC_NAME stopped (pid $pid)"
  fi
  rm -f "$RUN/$PGC_NAME.pid"
}

# The part 'postgres' (ops/lib/parts.sh): the main cluster's server in the foreground, for
# supervisord (the test cluster is started and stopped by pg_ctl: cmd_test).
postgres_command() {
  use_cluster main
  pg_bin
  pgc_prepare
  # shellcheck disable=SC2034 # run by the launcher (ops/lib/supervise.sh)
  PART_CMD=("$PG_BIN/postgres" -D "$PGC_DATA")
}

# Once it answers: the role and database of the settings.
postgres_after() { use_cluster main && pg_bin && pgc_ensure_role_db; }

postgres_ready() {
  [[ -n ${PG_BIN:-} ]] || PG_BIN=/usr/lib/postgresql/$(pg_version_with_timescaledb)/bin
  "$PG_BIN"/pg_isready -q -h "$LOCAL_ADDRESS" -p "$PAPERTAPE_DB_PORT" -t 2 2>/dev/null
}

cmd_psql() {
  pg_bin
  use_cluster main
  pgc_running || die "the database is not running: start it with $PROG up (or $PROG up --only postgres)"
  PGPASSWORD=$PAPERTAPE_DB_PASSWORD exec "$PG_BIN/psql" -h "$PAPERTAPE_DB_HOST" -p "$PAPERTAPE_DB_PORT" \
    -U "$PAPERTAPE_DB_USER" -d "$PAPERTAPE_DB_NAME" "$@"
}

cmd_retention() {
  local trades=${1:-30 days} metrics=${2:-7 days}
  # psql interpolates :'variables' in scripts, not in -c strings: feed the query on stdin
  cmd_psql -X -v ON_ERROR_STOP=1 -v trades="$trades" -v metrics="$metrics" <<'SQL'
select * from papertape_apply_retention(:'trades'::interval, :'metrics'::interval);
SQL
}
