#!/usr/bin/env bash
# End to end on the real stack, isolated from a user's own: a throwaway PAPERTAPE_HOME (its own
# PostgreSQL cluster, Kafka log, Flink state, supervisord) and free ports for every part; then
# 'up --no-build', 'demo' (exit 0 only if the strategy's BUY reached price-alerts, the signals table
# and /stream/signals, was traded exactly once, and a replay traded nothing), and 'down'.
# Run by the whole './papertape test' after the Maven build made the jars (ops/lib/dev.sh).
# shellcheck source-path=SCRIPTDIR/../..
set -euo pipefail

ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
HOME_DIR=$(mktemp -d /var/tmp/papertape-e2e.XXXXXXXXXX)
chmod 755 "$HOME_DIR"
export PAPERTAPE_HOME=$HOME_DIR

# distinct free ports for every listener of the stack
read -r -a ports < <(python3 - <<'PY'
import socket
socks = []
for _ in range(8):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
)
i=0
for v in PAPERTAPE_DB_PORT PAPERTAPE_KAFKA_PORT PAPERTAPE_KAFKA_CONTROLLER_PORT PAPERTAPE_API_PORT \
  PAPERTAPE_FLINK_UI_PORT PAPERTAPE_FLINK_HEALTH_PORT PAPERTAPE_FLINK_PROMETHEUS_PORT PAPERTAPE_FEED_PORT; do
  export "$v=${ports[i]}"
  i=$((i + 1))
done

cleanup() {
  "$ROOT/papertape" down >/dev/null 2>&1 || true
  rm -rf "$HOME_DIR"
}
trap cleanup EXIT

"$ROOT/papertape" up --no-build
"$ROOT/papertape" demo --timeout 240
