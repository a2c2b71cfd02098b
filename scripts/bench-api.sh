#!/usr/bin/env bash
# ./papertape bench api [--duration 15]
#
# In one run, on the local database and broker (started if needed), against a bench instance of
# the API started for the run on its own port and its own topics (the user's data is not touched):
#   P4: GET /symbols/AAPL/price requests/s vs GET /ping (a trivial endpoint of the same process),
#       same load generator (wrk) and concurrency. Goal: ratio >= 0.8.
#   P2: produce -> SSE client latency p50/p99 vs Kafka's own produce -> consume p99 measured at
#       the same time on the same trades. Goal: ratio <= 3.
#   1,000 concurrent SSE clients held, every one receiving the events, and the API's heap after.
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
# shellcheck source=SCRIPTDIR/../ops/lib/kafka.sh
source "$ROOT/ops/lib/kafka.sh"
# shellcheck source=SCRIPTDIR/../ops/lib/parts.sh
source "$ROOT/ops/lib/parts.sh"
# shellcheck source=SCRIPTDIR/../ops/lib/build.sh
source "$ROOT/ops/lib/build.sh"
load_settings

DURATION=15
CONNECTIONS=64
while (($#)); do
  case $1 in
    --duration) DURATION=$2; shift 2 ;;
    -h | --help) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see ./papertape bench api --help)" ;;
  esac
done

command -v wrk >/dev/null || apt_install wrk
"$ROOT/papertape" up --only postgres,kafka
build_if_needed 0 api
BENCH_JAR=$ROOT/bench/target/papertape-bench-0.1.0-SNAPSHOT.jar
[[ -f $BENCH_JAR ]] || mvn_locked -q -pl bench -am -DskipTests -Dspotless.check.skip=true -Dcheckstyle.skip=true package
OUT=$PAPERTAPE_HOME/bench
RUN_ID=$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
REPORT=$OUT/api-$RUN_ID.txt
TOPIC=bench-api-$RUN_ID
PAPERTAPE_BENCH_API_PORT=${PAPERTAPE_BENCH_API_PORT:-18080}
BENCH_PORT=$PAPERTAPE_BENCH_API_PORT
API=http://localhost:$BENCH_PORT
check_port_free api-bench PAPERTAPE_BENCH_API_PORT

PAPERTAPE_API_PORT=$BENCH_PORT PAPERTAPE_TRADES_TOPIC=$TOPIC-trades PAPERTAPE_METRICS_TOPIC=$TOPIC-metrics \
  PAPERTAPE_SIGNALS_TOPIC=$TOPIC-signals java -Xmx512m -jar "$API_JAR" >"$OUT/api-$RUN_ID-server.log" 2>&1 &
api_pid=$!
cleanup() {
  kill "$api_pid" 2>/dev/null || true
  wait "$api_pid" 2>/dev/null || true
  kafka_classpath
  kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "$PAPERTAPE_KAFKA_BOOTSTRAP" \
    --delete --topic "$TOPIC.*" >/dev/null 2>&1 || true
}
trap cleanup EXIT
for _ in $(seq 1 120); do
  http_ok "$API/healthz" && break
  kill -0 "$api_pid" 2>/dev/null || { tail -n 30 "$OUT/api-$RUN_ID-server.log"; die "the bench API instance died"; }
  sleep 1
done
http_ok "$API/healthz" || die "the bench API instance on port $BENCH_PORT is not healthy after 120 s"
ok "bench API instance ready: $API (topics $TOPIC-*)"

bench_java() {
  local result=$OUT/api-$RUN_ID-$1.result
  PAPERTAPE_BENCH_API=$API PAPERTAPE_BENCH_RESULT=$result PAPERTAPE_TRADES_TOPIC=$TOPIC-trades \
    java -Xmx1g -cp "$BENCH_JAR:$(cat "$ROOT/bench/target/classpath.txt")" dev.papertape.bench.ApiBench "$@" \
    >>"$OUT/api-$RUN_ID.log" 2>&1 || { tail -n 30 "$OUT/api-$RUN_ID.log"; die "ApiBench $1 failed"; }
  cat "$result"
}
value() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }
rps() { # wrk's Requests/sec
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" "$1" | awk '/Requests\/sec/ {print $2}'
}

bench_java prime >/dev/null
curl -fsS "$API/symbols/AAPL/price" >/dev/null || die "GET /symbols/AAPL/price fails: is the stack healthy? (./papertape status)"
note "warming up ..."
wrk -t2 -c"$CONNECTIONS" -d5s "$API/ping" >/dev/null
wrk -t2 -c"$CONNECTIONS" -d5s "$API/symbols/AAPL/price" >/dev/null
ping_rps=$(rps "$API/ping")
price_rps=$(rps "$API/symbols/AAPL/price")
p4=$(echo "scale=3; $price_rps / $ping_rps" | bc)
ok "P4: price $price_rps req/s, ping $ping_rps req/s"

note "warming up the stream path ..."
bench_java latency 1000 >/dev/null # JIT and connection warm-up, discarded
lat=$(bench_java latency 3000)
p2=$(echo "scale=2; $(value "$lat" sseP99Ms) / $(value "$lat" kafkaP99Ms)" | bc)
ok "P2: $lat"

cli=$(bench_java clients 1000)
ok "SSE clients: $cli"

{
  echo "Papertape API bench $RUN_ID ($(nproc) cores; wrk -t2 -c$CONNECTIONS -d${DURATION}s)"
  echo "  P4 GET /symbols/AAPL/price      : $price_rps req/s"
  echo "     GET /ping (baseline)         : $ping_rps req/s"
  echo "     ratio                        : $p4 (goal >= 0.8)"
  echo "  P2 produce -> SSE  p50/p99      : $(value "$lat" sseP50Ms) / $(value "$lat" sseP99Ms) ms ($(value "$lat" sseReceived)/$(value "$lat" sent) received)"
  echo "     produce -> Kafka consumer    : $(value "$lat" kafkaP50Ms) / $(value "$lat" kafkaP99Ms) ms"
  echo "     ratio of p99s                : $p2 (goal <= 3)"
  echo "  SSE clients held                : $(value "$cli" connected)/$(value "$cli" clients), events $(value "$cli" eventsReceived)/$(value "$cli" eventsExpected), API heap after $(value "$cli" apiHeapUsedMb) MB"
} | tee "$REPORT"
note "report: $(rel "$REPORT")"
