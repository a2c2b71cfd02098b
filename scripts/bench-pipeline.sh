#!/usr/bin/env bash
# ./papertape bench pipeline [--trades N]
#
# In one run, on the local broker and database (started if needed):
#   1. produce N simulated trades to a fresh topic (market-feed, --speed max);
#   2. (a) consume that topic with Kafka's own consumer perf tool: the raw read rate;
#   3. (b) run the market metrics job over it exactly as in production (parse, 5 window sizes,
#      TimescaleDB + Kafka sinks, checkpoints) into a throwaway database: the end-to-end rate;
#   4. print both rates, the ratio (b)/(a) (goal >= 0.5) and the peak memory of the stack.
# The bench topics and the papertape_bench database are removed at the end.
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
# shellcheck source=SCRIPTDIR/../ops/lib/java.sh
source "$ROOT/ops/lib/java.sh"
# shellcheck source=SCRIPTDIR/../ops/lib/parts.sh
source "$ROOT/ops/lib/parts.sh"
# shellcheck source=SCRIPTDIR/../ops/lib/build.sh
source "$ROOT/ops/lib/build.sh"
load_settings

TRADES=${PAPERTAPE_BENCH_TRADES:-2000000}
while (($#)); do
  case $1 in
    --trades) TRADES=$2; shift 2 ;;
    -h | --help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see ./papertape bench pipeline --help)" ;;
  esac
done
if ! [[ $TRADES =~ ^[1-9][0-9]*$ ]]; then
  die "--trades must be a positive whole number, got $TRADES"
fi

"$ROOT/papertape" up --only postgres,kafka
build_if_needed 0 flink feed
kafka_classpath
pg_bin
use_cluster main

BENCH_DB=papertape_bench
RUN_ID=$(date +%Y%m%d-%H%M%S)
TOPIC=bench-trades-$RUN_ID
OUT=$PAPERTAPE_HOME/bench
mkdir -p "$OUT"
REPORT=$OUT/pipeline-$RUN_ID.txt
RESULT=$OUT/pipeline-$RUN_ID.result

pgc_admin_psql -d postgres -c "DROP DATABASE IF EXISTS $BENCH_DB" -c "CREATE DATABASE $BENCH_DB OWNER $PAPERTAPE_DB_USER"

cleanup() {
  kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "$PAPERTAPE_KAFKA_BOOTSTRAP" \
    --delete --topic "$TOPIC.*" >/dev/null 2>&1 || true
  pgc_admin_psql -d postgres -c "DROP DATABASE IF EXISTS $BENCH_DB" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# 1. produce
t0=$(date +%s.%N)
PAPERTAPE_TRADES_TOPIC=$TOPIC PAPERTAPE_FEED_PORT=0 java -jar "$FEED_JAR" simulate \
  --count "$TRADES" --speed max --seed 42 --start 2026-01-05T14:30:00Z >"$OUT/produce-$RUN_ID.log" 2>&1 ||
  { tail -n 30 "$OUT/produce-$RUN_ID.log"; die "producing the bench trades failed"; }
produce_s=$(echo "$(date +%s.%N) - $t0" | bc)
ok "produced $TRADES trades to $TOPIC in ${produce_s} s"

# 2. (a) Kafka's own consumer on the same topic
perf=$(kafka_java org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$PAPERTAPE_KAFKA_BOOTSTRAP" \
  --topic "$TOPIC" --messages "$TRADES" --timeout 120000 2>>"$OUT/consumer-perf-$RUN_ID.log")
header=$(printf '%s\n' "$perf" | grep -m1 'nMsg.sec')
values=$(printf '%s\n' "$perf" | grep -A1 -m1 'nMsg.sec' | tail -n 1)
col=$(printf '%s\n' "$header" | tr ',' '\n' | sed 's/^ *//' | grep -n -x 'nMsg.sec' | cut -d: -f1)
consume_rate=$(printf '%s\n' "$values" | cut -d, -f"$col" | tr -d ' ')
[[ -n $consume_rate ]] || die "could not read the consumer perf tool's output: $perf"
ok "(a) kafka-consumer-perf-test: $consume_rate trades/s"

# 3. (b) the metrics job, end to end, while sampling the stack's memory
kafka_pid=$(part_pid kafka)
pg_pss_kb() {
  local total=0 pid pss
  for pid in $(pgrep -f "postgres.*$PAPERTAPE_HOME/data/postgres" || true) $(pgrep -P "$(head -n1 "$PGC_DATA/postmaster.pid")" || true); do
    pss=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)
    total=$((total + ${pss:-0}))
  done
  echo "$total"
}
pg_peak=0
flink_opens
BENCH_JAR=$ROOT/bench/target/papertape-bench-0.1.0-SNAPSHOT.jar
[[ -f $BENCH_JAR && ! $BENCH_JAR -ot $FLINK_JAR ]] ||
  mvn_locked -q -pl bench -am -DskipTests -Dspotless.check.skip=true -Dcheckstyle.skip=true package
java "${FLINK_OPENS[@]}" -Xmx2g -Dlog4j2.configurationFile="$FLINK_LOG4J" \
  -cp "$FLINK_JAR:$(cat "$FLINK_CP_FILE"):$BENCH_JAR:$(cat "$ROOT/bench/target/classpath.txt")" \
  dev.papertape.bench.PipelineBench \
  PAPERTAPE_TRADES_TOPIC="$TOPIC" PAPERTAPE_TRADES_DLQ_TOPIC="$TOPIC-dlq" PAPERTAPE_TRADES_LATE_TOPIC="$TOPIC-late" \
  PAPERTAPE_METRICS_TOPIC="$TOPIC-metrics" PAPERTAPE_METRICS_GROUP_ID="bench-$RUN_ID" \
  PAPERTAPE_DB_URL="jdbc:postgresql://$PAPERTAPE_DB_HOST:$PAPERTAPE_DB_PORT/$BENCH_DB" \
  PAPERTAPE_BENCH_RESULT="$RESULT" >"$OUT/pipeline-$RUN_ID.log" 2>&1 &
bench_pid=$!
while kill -0 "$bench_pid" 2>/dev/null; do
  p=$(pg_pss_kb)
  ((p > pg_peak)) && pg_peak=$p
  sleep 1
done
wait "$bench_pid" || { tail -n 40 "$OUT/pipeline-$RUN_ID.log"; die "the pipeline bench failed (log above)"; }
[[ -s $RESULT ]] || die "the pipeline bench wrote no result"
# trades=… seconds=… rate=… rows=… peakRssKb=…
declare -A r
read -ra kvs <"$RESULT"
for kv in "${kvs[@]}"; do r[${kv%%=*}]=${kv#*=}; done
kafka_peak=$(awk '/^VmHWM:/ {print $2}' "/proc/$kafka_pid/status" 2>/dev/null || echo 0)

ratio=$(echo "scale=3; ${r[rate]} / $consume_rate" | bc)
total_mb=$(((r[peakRssKb] + kafka_peak + pg_peak) / 1024))
{
  echo "Papertape pipeline bench $RUN_ID ($(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB)"
  echo "  trades                          : $TRADES (simulated, 4 symbols, produced in ${produce_s} s)"
  echo "  (a) Kafka consumer perf tool    : $consume_rate trades/s"
  echo "  (b) metrics job end to end      : ${r[rate]} trades/s (${r[trades]} trades stored, ${r[rows]} metric rows, ${r[seconds]} s incl. job start)"
  echo "  ratio (b)/(a)                   : $ratio (goal >= 0.5)"
  echo "  peak RSS: flink job JVM $((r[peakRssKb] / 1024)) MB, kafka broker $((kafka_peak / 1024)) MB, postgres (PSS) $((pg_peak / 1024)) MB = ${total_mb} MB"
} | tee "$REPORT"
note "report: $(rel "$REPORT")"
