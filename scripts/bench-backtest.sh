#!/usr/bin/env bash
# ./papertape bench backtest [--years N] [--metrics N]
#
# Needs no running stack. In one JVM (an embedded Flink cluster):
#   1. a bars file of N years (default 3) x 4 symbols of 1-minute bars, generated deterministically
#      once into .papertape/bench/ (kept for later runs);
#   2. (a) reading and parsing that file with the backtest's own readers, bars expanded into ticks;
#   3. (b) a backtest of vwap-deviation on it (the live graph, the fills, the report);
#   4. (c) the signals job alone on N generated 1-minute metrics (default 500000);
#   5. prints the rates and the ratio (b)/(a) (goal >= 0.2).
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
# shellcheck source=SCRIPTDIR/../ops/lib/supervise.sh
source "$ROOT/ops/lib/supervise.sh"
# shellcheck source=SCRIPTDIR/../ops/lib/java.sh
source "$ROOT/ops/lib/java.sh"
# shellcheck source=SCRIPTDIR/../ops/lib/parts.sh
source "$ROOT/ops/lib/parts.sh"
# shellcheck source=SCRIPTDIR/../ops/lib/build.sh
source "$ROOT/ops/lib/build.sh"
# shellcheck source=SCRIPTDIR/../ops/lib/dev.sh
source "$ROOT/ops/lib/dev.sh"
load_settings

YEARS=3
METRICS=500000
while (($#)); do
  case $1 in
    --years) YEARS=$2; shift 2 ;;
    --metrics) METRICS=$2; shift 2 ;;
    -h | --help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see ./papertape bench backtest --help)" ;;
  esac
done
[[ $YEARS =~ ^[1-9][0-9]?$ ]] || die "--years must be a whole number from 1 to 99, got $YEARS"
[[ $METRICS =~ ^[1-9][0-9]*$ ]] || die "--metrics must be a positive whole number, got $METRICS"

build_if_needed 0 artifacts=BACKTEST_JAR,BACKTEST_CP_FILE
java_opts
resolve_java
flink_opens
OUT=$PAPERTAPE_HOME/bench
mkdir -p "$OUT"
BARS=$OUT/bars-1m-${YEARS}y.csv
CP="$BACKTEST_JAR:$(cat "$BACKTEST_CP_FILE")"
MAIN=dev.papertape.backtest.bench.BacktestBench
if [[ ! -s $BARS ]]; then
  note "generating $(rel "$BARS") ($YEARS years x 4 symbols of 1-minute bars) ..."
  "$JAVA" "${JAVA_OPTS[@]}" -cp "$CP" "$MAIN" generate "$BARS" "$YEARS"
fi
RUN_ID=$(date +%Y%m%d-%H%M%S)
REPORT=$OUT/backtest-$RUN_ID.txt
{
  echo "Papertape backtest bench $RUN_ID ($(nproc) cores, $(free -g | awk '/^Mem:/{print $2}') GiB)"
  "$JAVA" "${FLINK_OPENS[@]}" "${JAVA_OPTS[@]}" -cp "$CP" "$MAIN" run "$BARS" "$METRICS"
} | tee "$REPORT"
ok "report: $(rel "$REPORT")"
