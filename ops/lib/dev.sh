# shellcheck shell=bash
# The developer commands: test (shellcheck, the isolated test cluster, Maven verify), bench, fmt,
# notebook, backtest.

# True while a './papertape test' holds RUN/test.lock (cmd_test).
test_running() { [[ -f $RUN/test.lock ]] && ! flock -n "$RUN/test.lock" true; }

# The test database starts empty at every run.
test_db_recreate() {
  pgc_admin_psql -d postgres -v db="$PGC_DB" -v role="$PGC_USER" <<'SQL' 2>&1 | log_append "$PGC_LOG" || {
SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', :'db') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role') \gexec
SQL
    tail_log "$PGC_LOG"
    die "could not recreate the test database $PGC_DB"
  }
  ok "test database $PGC_DB recreated (empty)"
}

stop_test_db() {
  use_cluster test
  pgc_stop || true
}

# Checks every shell script of the repository with shellcheck.
lint_scripts() {
  local files=("$ROOT/papertape" "$ROOT"/scripts/*.sh "$ROOT"/ops/lib/*.sh "$ROOT"/ops/test/*.sh "$ROOT/.ci/run")
  (cd "$ROOT" && shellcheck -x "${files[@]}") ||
    die "shellcheck found problems in the scripts (above)"
  ok "shellcheck: ${#files[@]} scripts clean"
}

cmd_test() {
  local lock
  run_install 0 notebook
  lint_scripts
  # the whole suite (no Maven arguments) also tests the supervision of the parts, the user commands
  # and the deployment files (compose, Kubernetes, CI; statically)
  if (($# == 0)); then
    bash "$ROOT/ops/test/supervise-test.sh" || die "the supervision test failed (above)"
    bash "$ROOT/ops/test/users-test.sh" || die "the users test failed (above)"
    bash "$ROOT/ops/test/deploy-test.sh" || die "the deployment files test failed (above)"
  fi
  # one test run at a time: they share the test cluster ('down' leaves it alone while this is held)
  mkdir -p "$RUN"
  exec {lock}>"$RUN/test.lock"
  if ! flock -n "$lock"; then
    note "waiting for another $PROG test to finish (lock $(rel "$RUN/test.lock"))..."
    flock "$lock"
  fi
  use_cluster test create
  trap stop_test_db EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  pgc_start
  test_db_recreate
  local url="jdbc:postgresql://127.0.0.1:$PGC_PORT/$PGC_DB" rc=0 start
  start=$(now)
  note "mvn -B verify -Dpapertape.test.jdbc.url=$url $*"
  # papertape.test.db.ctl: the outage tests stop and start the test database with it (test-db)
  mvn_locked verify -Dpapertape.test.jdbc.url="$url" -Dpapertape.test.jdbc.user="$PGC_USER" \
    -Dpapertape.test.jdbc.password="$PGC_PASSWORD" -Dpapertape.test.db.ctl="$ROOT/papertape" "$@" || rc=$?
  if ((rc == 0)); then ok "tests passed ($(($(now) - start)) s)"; else bad "the build failed (Maven exit code $rc)"; fi
  # the whole suite ends end to end: the real stack, isolated (own home and ports), and the demo
  if ((rc == 0 && $# == 0)); then
    start=$(now)
    if bash "$ROOT/ops/test/demo-e2e-test.sh"; then
      ok "end-to-end test on the real stack passed ($(($(now) - start)) s)"
    else
      bad "the end-to-end test on the real stack failed (above)"
      rc=1
    fi
  fi
  return "$rc"
}

# test-db stop|start : stops (fast shutdown: every connection is closed) or starts the test
# cluster, for the tests of a real database outage; only while a './papertape test' runs.
cmd_test_db() {
  if (($# != 1)) || [[ $1 != stop && $1 != start ]]; then die "test-db takes stop or start"; fi
  test_running || die "test-db: no $PROG test is running (the test database is its own)"
  use_cluster test
  case $1 in
    stop) pgc_stop ;;
    start) pgc_start ;;
  esac
}

# chaos [flink|kafka|postgres ...] [--outage S] [--timeout S] : faults on the running local stack,
# each healed by the stack itself (ops/lib/chaos.py). Only ever local: the parts are reached on
# LOCAL_ADDRESS and faulted through our own supervisord.
cmd_chaos() {
  sup_running || die "chaos needs the stack running under supervision: $PROG up"
  case $PAPERTAPE_DB_HOST in
    127.* | localhost | "$LOCAL_ADDRESS") ;;
    *) die "chaos works on the local stack only; PAPERTAPE_DB_HOST=$PAPERTAPE_DB_HOST is not this machine's" ;;
  esac
  cmd_status >/dev/null || die "not every part is healthy; chaos starts from a healthy stack ($PROG status)"
  ensure_notebook_tools >/dev/null
  sup_paths
  CHAOS_SUPCTL_CONF=$SUP_CONF LOCAL_ADDRESS=$LOCAL_ADDRESS PYTHONUNBUFFERED=1 \
    /usr/bin/python3 -I "$ROOT/ops/lib/chaos.py" "$@"
}

cmd_bench() {
  local name=${1:-}
  [[ -n $name ]] || { usage bench; return 1; }
  shift
  local script=$ROOT/scripts/bench-$name.sh
  if [[ -f $script ]]; then
    exec bash "$script" "$@"
  fi
  bad "benchmark '$name' is not there yet (expected $(rel "$script"))"
  return 1
}

# ./papertape backtest: the backtest module's jar and the classpath it runs with (Flink included).
BACKTEST_JAR=$ROOT/backtest/target/papertape-backtest.jar
BACKTEST_CP_FILE=$ROOT/backtest/target/run-classpath.txt
BACKTEST_MAIN=dev.papertape.backtest.BacktestCommand

# Runs a backtest in a JVM of its own (an embedded Flink cluster; no running stack needed). Builds
# the jars first when missing or out of date (the notes go to stderr: stdout is the report). Exit
# codes are the program's: 0 ok, 2 usage error, 1 failure.
cmd_backtest() {
  build_if_needed 0 artifacts=BACKTEST_JAR,BACKTEST_CP_FILE >&2
  java_opts
  resolve_java
  flink_opens
  exec "$JAVA" "${FLINK_OPENS[@]}" "${JAVA_OPTS[@]}" \
    -cp "$BACKTEST_JAR:$(cat "$BACKTEST_CP_FILE")" "$BACKTEST_MAIN" "$@"
}

cmd_fmt() {
  mvn_locked -q spotless:apply
  ok "formatted (spotless:apply)"
}

cmd_notebook() {
  local nb=$ROOT/notebooks/market-analytics.ipynb
  [[ -f $nb ]] || die "the notebook is not there yet ($(rel "$nb"))"
  ensure_notebook_tools
  pg_bin
  use_cluster main
  pgc_running || die "the database is not running: start the stack with $PROG up"
  PGHOST=$PAPERTAPE_DB_HOST PGPORT=$PAPERTAPE_DB_PORT PGDATABASE=$PAPERTAPE_DB_NAME \
    PGUSER=$PAPERTAPE_DB_USER PGPASSWORD=$PAPERTAPE_DB_PASSWORD PYDEVD_DISABLE_FILE_VALIDATION=1 \
    /usr/bin/jupyter nbconvert --to notebook --execute "$nb" --output market-analytics.out.ipynb \
    --ExecutePreprocessor.timeout=300
  ok "executed: $(rel "$ROOT/notebooks/market-analytics.out.ipynb")"
}
