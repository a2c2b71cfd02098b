#!/usr/bin/env bash
# The supervision of ./papertape up, tested on a part of its own (a small HTTP server) under a
# private supervisord in a throwaway PAPERTAPE_HOME: a part killed with SIGKILL is restarted and
# healthy again; a part that hangs (SIGSTOP: its health check times out) is restarted after the
# grace period; both restarts are recorded with their reasons for 'status'; down stops it all.
# Run by './papertape test' (ops/lib/dev.sh).
# shellcheck source-path=SCRIPTDIR/../..
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
for lib in common settings service logs install supervise; do
  # shellcheck source=/dev/null
  source "$ROOT/ops/lib/$lib.sh"
done

HOME_DIR=$(mktemp -d /var/tmp/papertape-supervise-test.XXXXXXXXXX)
chmod 755 "$HOME_DIR"
export PAPERTAPE_HOME=$HOME_DIR PAPERTAPE_HEALTH_GRACE=3s
TEST_WEB_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export TEST_WEB_PORT
load_settings

cleanup() {
  sup_stop || true
  rm -rf "$HOME_DIR"
}
trap cleanup EXIT

web_command() {
  # shellcheck disable=SC2034 # run by the launcher
  PART_CMD=(/usr/bin/python3 -m http.server "$TEST_WEB_PORT" --bind 127.0.0.1)
}
part web command=web_command ports=TEST_WEB_PORT health='http://127.0.0.1:{TEST_WEB_PORT}/' \
  live='http://127.0.0.1:{TEST_WEB_PORT}/' start_timeout=5 stop_timeout=5 start_secs=1 \
  where='http://127.0.0.1:{TEST_WEB_PORT}/'

fail() {
  bad "supervise test: $*"
  tail -n 20 "$SUP_LOG" "$SUP_DIR/watch.log" >&2 || true
  exit 1
}

# await_restart N TIMEOUT_S : the part healthy again, with N restarts recorded.
await_restart() {
  local want=$1 deadline=$(($(now) + $2))
  while (($(now) < deadline)); do
    read_restarts web
    if ((RESTARTS == want)) && part_healthy web; then return 0; fi
    sleep 0.5
  done
  fail "expected restart $want within $2 s; recorded: $RESTARTS ($LAST_REASON), state $(part_state web)"
}

mkdir -p "$RUN"
prepare_service_state
sup_start
start_part web >/dev/null
first=$(part_pid web)
[[ -n $first ]] || fail "web did not start"

kill -KILL "$first"
await_restart 1 30
[[ $LAST_REASON == *SIGKILL* ]] || fail "the reason of the restart does not name SIGKILL: $LAST_REASON"
second=$(part_pid web)
[[ $second != "$first" ]] || fail "still the killed pid $first"
ok "supervise: a part killed with SIGKILL is running again (pid $first -> $second): $LAST_REASON"

kill -STOP "$second"
await_restart 2 60
[[ $LAST_REASON == unhealthy* ]] || fail "the reason of the restart is not the health check: $LAST_REASON"
ok "supervise: a hung part is restarted after the grace period: $LAST_REASON"

print_status >/dev/null || fail "status does not show the part up: $(print_status)"
stop_part web >/dev/null || fail "down did not stop web"
[[ $(part_state web) == STOPPED ]] || fail "web is $(part_state web) after stop"
http_ok "http://127.0.0.1:$TEST_WEB_PORT/" && fail "web still answers after stop"
ok "supervise: stopped cleanly"
