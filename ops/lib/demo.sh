# shellcheck shell=bash
# ./papertape demo: the roadmap's scenario on the running stack, narrated (ops/lib/demo.py). This
# file checks the stack, gives the demo a user and a short-lived API key of theirs, writes the two
# launchers of the feed part the demo switches between (ops/lib/supervise.sh write_launcher), and
# makes sure the normal feed is back afterwards, whatever happened to the Python process.

# demo_prices : the latest price of each simulated symbol, as PAPERTAPE_FEED_START_PRICES items
# (AAPL=190.12,…), so that a restarted feed continues where it was (no jump in the prices).
demo_prices() {
  users_psql -At -v symbols="${PAPERTAPE_FEED_SYMBOLS:-AAPL,GOOGL,MSFT,TSLA}" <<'SQL'
SELECT coalesce(string_agg(symbol || '=' || trim_scale(price)::text, ',' ORDER BY symbol), '')
FROM (SELECT DISTINCT ON (symbol) symbol, price FROM trades
      WHERE symbol = ANY (string_to_array(upper(replace(:'symbols', ' ', '')), ','))
        AND ts > now() - interval '10 minutes'
      ORDER BY symbol, ts DESC) latest;
SQL
}

# demo_launcher SCENARIO PRICES FILE : the feed part's launcher, written as 'up' writes it (from
# the current settings) but with PAPERTAPE_FEED_SCENARIO and PAPERTAPE_FEED_START_PRICES set, to FILE.
demo_launcher() {
  local -x PAPERTAPE_FEED_SCENARIO=$1 PAPERTAPE_FEED_START_PRICES=$2
  local run=$SUP_DIR/feed.run
  cp -p "$run" "$run.demo-up"
  write_launcher feed
  mv -f "$run" "$3"
  mv -f "$run.demo-up" "$run"
}

# demo [--user NAME] [--timeout S]
cmd_demo() {
  local user=${PAPERTAPE_DEMO_USER:-demo} args=()
  while (($#)); do
    case $1 in
      --user) (($# >= 2)) || die "--user needs a NAME"; user=$2; shift ;;
      --user=*) user=${1#--user=} ;;
      --timeout) (($# >= 2)) || die "--timeout needs SECONDS"; args+=(--timeout "$2"); shift ;;
      --timeout=*) args+=("$1") ;;
      *) die "demo: unknown option '$1' (see $PROG demo --help)" ;;
    esac
    shift
  done
  user_check_name "$user"
  sup_running || die "demo needs the running stack, and it is not running: start it with $PROG up (then $PROG demo)"
  case $PAPERTAPE_DB_HOST in
    127.* | localhost | "$LOCAL_ADDRESS") ;;
    *) die "demo works on the local stack only; PAPERTAPE_DB_HOST=$PAPERTAPE_DB_HOST is not this machine's" ;;
  esac
  cmd_status >/dev/null 2>&1 || die "not every part is healthy, and the demo needs all of them: $PROG status (start them: $PROG up)"
  ensure_notebook_tools >/dev/null
  sup_paths
  local run=$SUP_DIR/feed.run
  [[ -f $run ]] || die "the feed part has no launcher ($(rel "$run")): restart the stack ($PROG down && $PROG up)"
  if [[ -f $run.demo-switched ]]; then
    # an earlier demo was killed before it could put the normal feed back
    cp -p "$run.demo-normal" "$run" 2>/dev/null || true
    rm -f "$run.demo-switched"
    supctl restart feed >/dev/null 2>&1 || true
    note "put back the normal feed an earlier demo had left on its scenario"
  fi

  users_db_ready
  if ! user_exists "$user"; then
    local password
    password=$(random_base62 20)
    user_create "$user" "$password" || true
    ok "user $user created for the demo: $user / $password (shown once)"
  fi
  local prices
  prices=$(demo_prices) || die "could not read the latest prices from the database"
  [[ -n $prices ]] || die "no trade in the last 10 minutes: the feed must be producing ($PROG status, $PROG logs feed)"
  # the two launchers the demo switches between: its scenario, and the normal feed afterwards
  demo_launcher demo "$prices" "$run.demo-scenario"
  demo_launcher "${PAPERTAPE_FEED_SCENARIO:-none}" "$prices" "$run.demo-normal"

  local key prefix rc=0
  key=$(user_key "$user" --label "./papertape demo $(date -u +%FT%TZ)" | grep -E '^pt_[A-Za-z0-9]{40}$') ||
    die "could not create an API key for '$user' ($PROG user keys $user)"
  prefix=${key:0:$API_KEY_PREFIX_LENGTH}
  # Ctrl-C reaches demo.py too (same process group): it puts the feed back and exits; this shell
  # waits for it (a handler, not an ignore, so the child keeps its default SIGINT)
  trap 'true' INT TERM
  CHAOS_SUPCTL_CONF=$SUP_CONF LOCAL_ADDRESS=$LOCAL_ADDRESS PYTHONUNBUFFERED=1 \
    DEMO_USER=$user DEMO_API_KEY=$key DEMO_FEED_LAUNCHER=$run DEMO_FEED_LOG=$(log_file feed) \
    DEMO_START_PRICES=$prices /usr/bin/python3 -I "$ROOT/ops/lib/demo.py" "${args[@]}" || rc=$?
  trap - INT TERM
  users_psql -At -v prefix="$prefix" \
    <<<"UPDATE api_keys SET revoked_at = now() WHERE prefix = :'prefix' AND revoked_at IS NULL;" >/dev/null ||
    bad "could not revoke the demo's API key $prefix…: $PROG user revoke-key $prefix"
  # demo.py puts the normal feed back itself; if it was killed before it could, do it here
  if [[ -f $run.demo-switched ]]; then
    cp -p "$run.demo-normal" "$run"
    rm -f "$run.demo-switched"
    supctl restart feed >/dev/null 2>&1 || true
    bad "the demo did not put the normal feed back itself: did it here (supervisorctl restart feed)"
    ((rc)) || rc=1
  fi
  rm -f "$run.demo-scenario" "$run.demo-normal"
  return "$rc"
}
