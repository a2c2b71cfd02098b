#!/usr/bin/env bash
# ./papertape bench trade [--duration 20] [--connections 16] [--portfolios 8]
#
# In one run, on the local database and broker (started if needed), against a bench instance of
# the API started for the run on its own port, its own topics and its own database
# (papertape_bench, recreated; the user's data is not touched):
#   POST /portfolio/trade market orders per second (every one a fill: one transaction on the
#   locked portfolio row with the order, the fill, the cash movement, the position and the
#   totals) and their p50/p99 latency, spread over --portfolios portfolios (one API key each),
#   vs pgbench's rate of transactions of the same shape (lock one of as many account rows, update
#   it, insert one history row) with as many clients, on the same database. Goal: ratio >= 0.5.
# Afterwards every portfolio's cash must equal its starting cash plus the sum of its fills.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=SCRIPTDIR/../ops/lib/common.sh
source "$ROOT/ops/lib/common.sh"
# shellcheck source=SCRIPTDIR/../ops/lib/settings.sh
source "$ROOT/ops/lib/settings.sh"
# shellcheck source=SCRIPTDIR/../ops/lib/service.sh
source "$ROOT/ops/lib/service.sh"
# shellcheck source=SCRIPTDIR/../ops/lib/logs.sh
source "$ROOT/ops/lib/logs.sh"
# shellcheck source=SCRIPTDIR/../ops/lib/install.sh
source "$ROOT/ops/lib/install.sh"
# shellcheck source=SCRIPTDIR/../ops/lib/supervise.sh
source "$ROOT/ops/lib/supervise.sh"
# shellcheck source=SCRIPTDIR/../ops/lib/postgres.sh
source "$ROOT/ops/lib/postgres.sh"
# shellcheck source=SCRIPTDIR/../ops/lib/kafka.sh
source "$ROOT/ops/lib/kafka.sh"
# shellcheck source=SCRIPTDIR/../ops/lib/parts.sh
source "$ROOT/ops/lib/parts.sh"
# shellcheck source=SCRIPTDIR/../ops/lib/build.sh
source "$ROOT/ops/lib/build.sh"
load_settings

DURATION=20
CONNECTIONS=16
PORTFOLIOS=8
while (($#)); do
  case $1 in
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --portfolios) PORTFOLIOS=$2; shift 2 ;;
    -h | --help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see ./papertape bench trade --help)" ;;
  esac
done
for v in DURATION CONNECTIONS PORTFOLIOS; do
  [[ ${!v} =~ ^[1-9][0-9]{0,3}$ ]] || die "--${v,,} must be a whole number from 1 to 9999, not '${!v}'"
done

command -v wrk >/dev/null || apt_install wrk
"$ROOT/papertape" up --only postgres,kafka
build_if_needed 0 api
OUT=$PAPERTAPE_HOME/bench
RUN_ID=$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
REPORT=$OUT/trade-$RUN_ID.txt
TOPIC=bench-trade-$RUN_ID
BENCH_DB=papertape_bench
PAPERTAPE_BENCH_TRADE_PORT=${PAPERTAPE_BENCH_TRADE_PORT:-18081}
BENCH_PORT=$PAPERTAPE_BENCH_TRADE_PORT
API=http://$LOCAL_ADDRESS:$BENCH_PORT
check_port_free api-bench PAPERTAPE_BENCH_TRADE_PORT

use_cluster main
pg_bin
# shellcheck disable=SC2016 # psql variables
bench_db_reset() {
  pgc_admin_psql -d postgres -v db="$BENCH_DB" -v role="$PAPERTAPE_DB_USER" <<'SQL' >/dev/null
SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', :'db') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role') \gexec
SQL
}
bench_psql() { pgc_admin_psql -d "$BENCH_DB" "$@"; }
bench_db_reset
ok "bench database $BENCH_DB recreated"

# extra JVM options for the bench instance, e.g. a flight recording: PAPERTAPE_BENCH_JAVA_OPTS=-XX:StartFlightRecording=...
read -ra bench_java_opts <<<"${PAPERTAPE_BENCH_JAVA_OPTS:-}"
PAPERTAPE_DB_NAME=$BENCH_DB PAPERTAPE_API_PORT=$BENCH_PORT PAPERTAPE_TRADES_TOPIC=$TOPIC-trades \
  PAPERTAPE_METRICS_TOPIC=$TOPIC-metrics PAPERTAPE_SIGNALS_TOPIC=$TOPIC-signals \
  PAPERTAPE_MAX_PRICE_AGE=1h PAPERTAPE_SNAPSHOT_INTERVAL=0 \
  java -Xmx512m "${bench_java_opts[@]}" -jar "$API_JAR" >"$OUT/trade-$RUN_ID-server.log" 2>&1 &
api_pid=$!
cleanup() {
  kill "$api_pid" 2>/dev/null || true
  wait "$api_pid" 2>/dev/null || true
  kafka_classpath
  kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "$PAPERTAPE_KAFKA_BOOTSTRAP" \
    --delete --topic "$TOPIC.*" >/dev/null 2>&1 || true
  pgc_admin_psql -d postgres -v db="$BENCH_DB" <<'SQL' >/dev/null 2>&1 || true
SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', :'db') \gexec
SQL
}
trap cleanup EXIT
for _ in $(seq 1 120); do
  http_ok "$API/healthz" && break
  kill -0 "$api_pid" 2>/dev/null || { tail -n 30 "$OUT/trade-$RUN_ID-server.log"; die "the bench API instance died"; }
  sleep 1
done
http_ok "$API/healthz" || die "the bench API instance on port $BENCH_PORT is not healthy after 120 s"
ok "bench API instance ready: $API (database $BENCH_DB, topics $TOPIC-*)"

# a latest price for AAPL on the bench instance's trades topic (topics are created by their writers)
kafka_classpath
kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "$PAPERTAPE_KAFKA_BOOTSTRAP" \
  --create --if-not-exists --topic "$TOPIC-trades" --partitions 1 --replication-factor 1 >/dev/null
printf '{"symbol":"AAPL","price":190.25,"size":100,"ts":"%s","tradeId":"bench-%s","source":"bench"}\n' \
  "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" "$RUN_ID" |
  kcat -P -b "$PAPERTAPE_KAFKA_BOOTSTRAP" -t "$TOPIC-trades" -k AAPL
for _ in $(seq 1 30); do
  http_ok "$API/symbols/AAPL/price" && break
  sleep 0.5
done
http_ok "$API/symbols/AAPL/price" || die "the bench instance has no price for AAPL (trades topic $TOPIC-trades)"

# one user, API key and portfolio per --portfolios (keys random, only their SHA-256 stored)
keys=()
for i in $(seq 1 "$PORTFOLIOS"); do
  key=pt_$(od -An -N20 -tx1 /dev/urandom | tr -d ' \n')
  keys+=("$key")
  bench_psql -v name="bench$i" -v key="$key" <<'SQL' >/dev/null
INSERT INTO users (name, password_hash)
  VALUES (:'name', crypt(encode(gen_random_bytes(24), 'base64'), gen_salt('bf', 4)));
INSERT INTO api_keys (user_id, prefix, key_hash, label)
  SELECT id, left(:'key', 10), encode(digest(:'key', 'sha256'), 'hex'), 'bench'
  FROM users WHERE name = :'name';
SQL
  curl -fsS -o /dev/null -X POST "$API/portfolio/init" -H "X-Api-Key: $key" \
    -H 'Content-Type: application/json' -d '{"startingCash": 1000000000}' ||
    die "POST /portfolio/init failed for bench$i"
done
ok "$PORTFOLIOS bench users with a portfolio of 1,000,000,000.00 each"

LUA=$OUT/trade-$RUN_ID.lua
{
  printf 'local keys = {'
  printf '"%s",' "${keys[@]}"
  printf '}\n'
  cat <<'LUA'
local n = 0
local body = '{"symbol":"AAPL","side":"BUY","quantity":1,"type":"MARKET","timeInForce":"DAY"}'
request = function()
  n = n + 1
  local headers = {}
  headers["Content-Type"] = "application/json"
  headers["X-Api-Key"] = keys[(n % #keys) + 1]
  return wrk.format("POST", "/portfolio/trade", headers, body)
end
LUA
} >"$LUA"
note "warming up (15 s, so the JIT has compiled the hot path) ..."
wrk -t2 -c"$CONNECTIONS" -d15s -s "$LUA" "$API" >/dev/null
WRK_OUT=$OUT/trade-$RUN_ID-wrk.txt
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$LUA" "$API" >"$WRK_OUT"
orders_rps=$(awk '/Requests\/sec/ {print $2}' "$WRK_OUT")
p50=$(awk '$1 == "50%" {print $2}' "$WRK_OUT")
p99=$(awk '$1 == "99%" {print $2}' "$WRK_OUT")
non2xx=$(awk '/Non-2xx/ {print $NF}' "$WRK_OUT")
errors=$(grep -c 'Socket errors' "$WRK_OUT" || true)
[[ -z $non2xx && $errors == 0 ]] || { cat "$WRK_OUT"; die "the order run had failed requests (above)"; }
ok "POST /portfolio/trade: $orders_rps orders/s, p50 $p50, p99 $p99"

# pgbench: the same shape of transaction on as many rows, as many clients
bench_psql -v n="$PORTFOLIOS" <<'SQL' >/dev/null
CREATE TABLE bench_accounts (id int PRIMARY KEY, balance numeric(20,2) NOT NULL);
CREATE TABLE bench_history (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, account int NOT NULL,
  amount numeric(20,2) NOT NULL, at timestamptz NOT NULL DEFAULT now());
INSERT INTO bench_accounts SELECT g, 1000000000 FROM generate_series(1, :n) g;
GRANT ALL ON bench_accounts, bench_history TO PUBLIC;
SQL
PGB_SCRIPT=$OUT/trade-$RUN_ID.pgbench
cat >"$PGB_SCRIPT" <<EOF
\set id random(1, $PORTFOLIOS)
BEGIN;
SELECT balance FROM bench_accounts WHERE id = :id FOR UPDATE;
UPDATE bench_accounts SET balance = balance - 190.27 WHERE id = :id;
INSERT INTO bench_history (account, amount) VALUES (:id, -190.27);
END;
EOF
PGB_OUT=$OUT/trade-$RUN_ID-pgbench.txt
PGPASSWORD=$PAPERTAPE_DB_PASSWORD "$PG_BIN/pgbench" -n -h "$PAPERTAPE_DB_HOST" -p "$PAPERTAPE_DB_PORT" \
  -U "$PAPERTAPE_DB_USER" -c "$CONNECTIONS" -j 2 -T "$DURATION" -f "$PGB_SCRIPT" "$BENCH_DB" >"$PGB_OUT" 2>&1 ||
  { cat "$PGB_OUT"; die "pgbench failed (above)"; }
pg_tps=$(sed -nE 's/^tps = ([0-9.]+) .*/\1/p' "$PGB_OUT" | head -n 1)
[[ -n $pg_tps ]] || { cat "$PGB_OUT"; die "no tps in pgbench's output (above)"; }
ratio=$(echo "scale=3; $orders_rps / $pg_tps" | bc)

# the ledger after: cash = starting cash + the sum of the fills, for every portfolio
read -r fills off < <(bench_psql -At -F ' ' <<'SQL'
SELECT (SELECT count(*) FROM paper_trades),
       (SELECT count(*) FROM portfolios p WHERE p.cash <> p.starting_cash
          + (SELECT coalesce(sum(cash_delta), 0) FROM paper_trades t WHERE t.portfolio_id = p.id))
SQL
)
((off == 0)) || die "the ledger does not reconcile: $off portfolio(s) with cash <> starting cash + fills"

{
  echo "Papertape trade bench $RUN_ID ($(nproc) cores; wrk -t2 -c$CONNECTIONS -d${DURATION}s over $PORTFOLIOS portfolios)"
  echo "  POST /portfolio/trade (market, 1 share) : $orders_rps orders/s, latency p50 $p50, p99 $p99"
  echo "  pgbench, the same transaction shape      : $pg_tps tps (-c$CONNECTIONS -j2 -T$DURATION over $PORTFOLIOS rows)"
  echo "  ratio                                    : $ratio (goal >= 0.5)"
  echo "  fills stored: $fills; every portfolio's cash = starting cash + its fills"
} | tee "$REPORT"
note "report: $(rel "$REPORT")"
