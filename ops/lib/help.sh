# shellcheck shell=bash
# Help texts: './papertape help' and '<command> --help'.

# One line per part for 'up --help': its name and about= (ops/lib/parts.sh).
parts_about() {
  local p HOME_REL
  # shellcheck disable=SC2034 # read through {HOME_REL} in about=
  HOME_REL=$(rel "$PAPERTAPE_HOME")
  for p in "${PARTS[@]}"; do
    printf '  %-9s %s\n' "$p" "$(part_fill "$p" about)"
  done
}

# The parts, comma-separated.
parts_joined() {
  local joined
  joined=$(printf ', %s' "${PARTS[@]}")
  printf '%s' "${joined:2}"
}

usage_main() {
  cat <<EOF
Papertape: real-time paper trading (Kafka -> Flink -> TimescaleDB, Spring WebFlux API).

Usage: $PROG <command> [options]      ($PROG <command> --help for details)

  install        install what is missing (Debian packages, PostgreSQL + TimescaleDB)
  up             build if needed, start $(parts_joined); wait until healthy
  down           stop everything 'up' started (data is kept)
  status         state, health, PID, restarts and address of each part (exit 0 only if all are up)
  logs           show a part's log (or all), -f to follow
  reset          down, then delete all local data ($(rel "$PAPERTAPE_HOME")/data)
  psql           psql to the local database
  user           API users and keys: add, list, keys, key, revoke-key, disable, enable
  retention      drop data older than the retention periods (drop_chunks)
  test           full build and tests against an isolated test database
  bench          run a benchmark: pipeline | api | trade | backtest
  backtest       run a strategy on a CSV file through the live Flink graph; report
  chaos          fault injection on the running stack: flink | kafka | postgres
  demo           the roadmap's scenario on the running stack, narrated: TSLA dips, a strategy buys
  fmt            format the Java sources (spotless:apply)
  notebook       execute notebooks/market-analytics.ipynb against the running stack
  help [cmd]     this help, or a command's

Settings: environment variables PAPERTAPE_*, or KEY=VALUE lines in .env (see .env.example).
Local state (data, logs, supervisord): $(rel "$PAPERTAPE_HOME")
EOF
}

usage() {
  case ${1:-} in
    install) cat <<EOF
Usage: $PROG install

Installs what is missing, and only that (a second run does nothing):
  - checks java 17+ and maven (installs neither: says what to do if they are missing)
  - Debian packages kcat, curl, supervisor (supervisord runs the parts)
  - as root: the system user \$PAPERTAPE_SERVICE_USER ($PAPERTAPE_SERVICE_USER, no login shell) the Java parts run as
  - PostgreSQL with TimescaleDB $TIMESCALEDB_VERSION:
      Debian 13: apt-get install postgresql-17 postgresql-17-timescaledb
      Debian 12: postgresql-15 + postgresql-server-dev-15, then builds Debian trixie's source
                 package timescaledb (Apache-only, telemetry off) under $(rel "$PAPERTAPE_HOME")/build
                 (skipped when timescaledb.so is already installed)
Runs apt-get through sudo when not root (or prints the command to run).
'up' and 'test' run it first; 'test' and 'notebook' also install the Jupyter packages.
EOF
      ;;
    up) cat <<EOF
Usage: $PROG up [--no-build] [--only PART[,PART...]] [--flink embedded|cluster]

Installs what is missing, builds the jars when missing or older than the sources (Maven, under
the lock $MVN_LOCK), starts a private supervisord ($(rel "$RUN")/supervisor) and through it, in
order, waits for each to be healthy:
$(parts_about)
A part already running and healthy is left alone. Logs: $(rel "$LOGS")/<part>.log
supervisord restarts a part that exits; its watcher restarts a part whose liveness check fails
for longer than \$PAPERTAPE_HEALTH_GRACE ($PAPERTAPE_HEALTH_GRACE); '$PROG status' shows the restarts.
Every port listens on \$PAPERTAPE_BIND_ADDRESS ($PAPERTAPE_BIND_ADDRESS) only. Run as root, kafka, api, flink
and feed run as the unprivileged user \$PAPERTAPE_SERVICE_USER ($PAPERTAPE_SERVICE_USER), postgres as postgres.

  --no-build      never run Maven (fails if a jar is missing)
  --only PARTS    start only these parts, e.g. --only postgres,kafka
  --flink MODE    embedded (the default): the jobs in one embedded Flink, the part flink;
                  cluster: a Flink session cluster of separate processes instead (flink-jobmanager,
                  flink-taskmanager-1, flink-taskmanager-2), the jobs submitted with Flink's CLI
                  from their newest savepoint or checkpoint; 'down' stops them with a savepoint.
                  The mode is kept until 'down'; switching needs a 'down' first.
EOF
      ;;
    down) cat <<EOF
Usage: $PROG down

Stops what 'up' started, in reverse order, through supervisord (SIGTERM, then SIGKILL after the
part's stop timeout: 100 s for flink's stop-with-savepoint; PostgreSQL with SIGINT, a fast
shutdown), then supervisord. Data in $(rel "$PAPERTAPE_HOME")/data is kept. Also stops a test
database left running by an interrupted '$PROG test'.
EOF
      ;;
    status) cat <<EOF
Usage: $PROG status

For each part: its supervisord state (running, starting, backoff, stopped, exited, fatal), health
(pg_isready, Kafka metadata via kcat, GET /healthz), PID, user, restarts since 'up' with the time
and reason of the last one (e.g. "exited (terminated by SIGKILL; not expected)", "unhealthy for
60 s: …"), address. Exit code 0 only if every part is up and healthy.
EOF
      ;;
    logs) cat <<EOF
Usage: $PROG logs [PART] [-f] [-n LINES]

Shows the last lines of a part's log ($(rel "$LOGS")/<part>.log), or of all of them. A log is
rotated when it reaches \$PAPERTAPE_LOG_MAX_SIZE ($PAPERTAPE_LOG_MAX_SIZE): <part>.log.1 is the previous
one, up to <part>.log.$PAPERTAPE_LOG_BACKUPS (\$PAPERTAPE_LOG_BACKUPS); -f follows across rotations.
PART: ${PARTS[*]} postgres-test timescaledb-build install
  -f          follow
  -n LINES    how many lines (default 100 for one part, 20 each for all)
EOF
      ;;
    reset) cat <<EOF
Usage: $PROG reset [--yes]

Stops everything, then deletes $(rel "$PAPERTAPE_HOME")/data (database, topics, Flink checkpoints)
after a y/N confirmation. --yes skips the question (needed without a terminal).
EOF
      ;;
    psql) cat <<EOF
Usage: $PROG psql [PSQL ARGS...]

psql to the local database ($PAPERTAPE_DB_NAME on $PAPERTAPE_DB_HOST:$PAPERTAPE_DB_PORT as $PAPERTAPE_DB_USER).
Example: $PROG psql -c 'select * from symbols'
EOF
      ;;
    user) cat <<EOF
Usage: $PROG user add NAME [--password-stdin]
       $PROG user list
       $PROG user keys NAME
       $PROG user key NAME [--label TEXT]
       $PROG user revoke-key PREFIX
       $PROG user disable|enable NAME

Users of the API, in the running database (the stack must be up: '$PROG up'). A user signs in with
HTTP Basic (NAME and password) or sends an API key in the X-Api-Key header; the portfolio routes
need one of them, market data is public unless PAPERTAPE_PUBLIC_MARKET_DATA=false.
  add         create a user. NAME: a lower-case letter, then up to 63 of a-z 0-9 . _ -
              --password-stdin: the password is the first line of stdin (8 to 72 bytes), e.g.
                printf '%s\\n' "\$PW" | $PROG user add alice --password-stdin
              else a random 20-character password is generated and printed once
  list        every user: enabled, created, number of active keys (never a hash)
  keys        a user's API keys: prefix, label, created, revoked
  key         a new API key (pt_ and 40 random characters), printed once; only its first
              10 characters and its SHA-256 are stored. --label: a note (at most 100 characters)
  revoke-key  revoke the key with this prefix (as 'keys' and 'key' show it), at once
  disable     refuse the user's password and keys from now on (both are kept); enable undoes it
Passwords are stored as bcrypt hashes (pgcrypto, cost 10); secrets never appear on a command line.
'up' creates the demo user \$PAPERTAPE_DEMO_USER (${PAPERTAPE_DEMO_USER:-none}; empty: none) and prints its
password once, when it creates it.
EOF
      ;;
    retention) cat <<EOF
Usage: $PROG retention [TRADES_INTERVAL] [ONE_SECOND_METRICS_INTERVAL]

Drops raw trades older than TRADES_INTERVAL (default '30 days', whole chunks via drop_chunks) and
1-second metrics older than ONE_SECOND_METRICS_INTERVAL (default '7 days'), by calling
papertape_apply_retention() in the local database. Run it daily, e.g. from cron.
Example: $PROG retention '90 days' '14 days'
EOF
      ;;
    test) cat <<EOF
Usage: $PROG test [MAVEN ARGS...]

Installs what is missing (and the notebook tools and shellcheck), checks every shell script with
shellcheck, starts an isolated test PostgreSQL+TimescaleDB on \$PAPERTAPE_TEST_DB_PORT
($PAPERTAPE_TEST_DB_PORT) with a fresh database papertape_test (dropped and created at every run), runs
  flock $MVN_LOCK mvn -B verify -Dpapertape.test.jdbc.url=... [MAVEN ARGS...]
stops the test database and exits with Maven's exit code. Kafka runs inside the test JVMs.
Example: $PROG test -pl model -am
EOF
      ;;
    backtest) cat <<EOF
Usage: $PROG backtest --strategy NAME --csv FILE [options]

Runs a strategy on a CSV file through the same Flink graph as the live jobs (the metrics job's
window operators, the signals job's strategies), in an embedded cluster as fast as it can, then
fills its signals with the paper ledger's fill model and rules, and prints a report. Needs no
running stack. Builds the jars first when sources changed.

  --strategy NAME      ma-crossover | vwap-deviation | volume-spike | buy-and-hold | price-drop
  --param K=V          a strategy parameter (repeatable), as in POST /strategies
  --window W           the window size (the same as --param window=W): 1s 1m 5m 1h 1d
  --symbols S1,S2      the symbols it runs on (default: all in the file)
  --id ID              the instance id (default: the strategy's name); the signal ids depend on it
  --csv FILE           trades: symbol,price,size,ts[,tradeId]; bars: symbol,ts,open,high,low,close,volume
  --format trades|bars default trades; bars become 4 ticks each, as replay does
  --bar-interval D     the bar length (default: inferred from the file)
  --from T --to T      only trades with from <= ts < to (ISO-8601, a date, or epoch ms)
  --cash C             the starting cash (default 100000)
  --sizing MODE:VALUE  quantity:N | notional:CASH | percentOfCash:P (the API's autoExecute rules);
                       default: all in (a BUY spends all the cash, a SELL sells all held)
  --json               the report as one JSON object

A signal at window end ts is filled as a MARKET order at the first trade of its symbol with
ts >= the signal's ts. Slippage and commission: PAPERTAPE_SLIPPAGE_*, PAPERTAPE_COMMISSION_*
(as the API); short sales only with PAPERTAPE_ALLOW_SHORT=true.
Exit codes: 0 ok, 2 bad usage or input (the message says what), 1 the run failed.
Example: $PROG backtest --strategy vwap-deviation --param lookback=20 --param thresholdPct=0.5 \\
           --csv market-feed/samples/bars-1m.csv --format bars
EOF
      ;;
    bench) cat <<EOF
Usage: $PROG bench pipeline|api|trade|backtest [ARGS...]

Runs scripts/bench-<name>.sh with ARGS (against the running stack).
EOF
      ;;
    chaos) cat <<EOF
Usage: $PROG chaos [flink] [kafka] [postgres] [--outage SECONDS] [--timeout SECONDS]

Fault injection on the running local stack (never anything else: it acts through this stack's
supervisord and reaches the parts on \$PAPERTAPE_BIND_ADDRESS), one scenario after the other
(default: all three), each healed by the stack itself with no manual step:
  flink      SIGKILL of the Flink process: supervisord restarts it, the job resumes from its checkpoint
  kafka      the broker stopped for --outage (30) seconds, then started
  postgres   the database stopped for --outage (30) seconds, then started
For each it prints the time to recover (every part healthy and a trade made after the fault
stored), the trades in Kafka vs stored (missing, duplicate), every closed 1s and 1m window vs the
SQL recomputation (mismatched), and the HTTP status codes of the API during the fault. A scenario
waits at most --timeout (180) seconds for recovery. Exit code 0 only if every scenario passed.
Needs a healthy stack with the feed running ('$PROG up').
EOF
      ;;
    demo) cat <<EOF
Usage: $PROG demo [--user NAME] [--timeout SECONDS]

The roadmap's scenario on the running local stack, narrated step by step; each step says what it
does and what it saw, and the exit code is 0 only if every step happened (so it doubles as the
end-to-end check of strategies, signals and auto-trading):
   1  the four symbols stream live prices (/symbols, /stream/trades)
   2  the user (--user; default \$PAPERTAPE_DEMO_USER, ${PAPERTAPE_DEMO_USER:-demo}; created when missing) gets
      a fresh paper portfolio (init, or reset: a new epoch; earlier orders and fills are kept)
   3  a few paper trades at market
   4  vwap-deviation on TSLA (window 1s, lookback 30, thresholdPct 3.5) with autoExecute, 10 shares
   5  the feed part restarted through supervisord with PAPERTAPE_FEED_SCENARIO=demo, continuing from
      the last prices: TSLA dips 6 % about 35 s later (2 s down, 4 s at the bottom, 2 s back)
   6  TSLA's 1s closes against its rolling VWAP (/stream/metrics) as it dips
   7  the BUY on /stream/signals (read from price-alerts) and its row in the signals table
   8  the auto-trade: exactly one order (Idempotency-Key signal-<id>) and one fill
   9  the same signal produced again to price-alerts (kcat): counted as a duplicate, no new order
  10  the portfolio: positions, cash, P&L
Then the normal feed is put back (continuing from the current prices; also after a failure or
Ctrl-C) and the strategy deactivated (kept, with its signals). The demo uses a temporary API key of
the user, revoked at the end. --timeout: give up after this long (default 300 s, at least 60).
Needs a healthy stack ('$PROG up'); takes about two minutes.
EOF
      ;;
    fmt) cat <<EOF
Usage: $PROG fmt

Formats the Java sources: mvn spotless:apply (under the lock $MVN_LOCK).
EOF
      ;;
    notebook) cat <<EOF
Usage: $PROG notebook

Executes notebooks/market-analytics.ipynb with Debian's Jupyter against the running database
(PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD are set) and writes
notebooks/market-analytics.out.ipynb.
EOF
      ;;
    '' | help) usage_main ;;
    *) die "unknown command '$1': see $PROG help" ;;
  esac
}
