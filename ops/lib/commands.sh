# shellcheck shell=bash
# The commands that run the stack: install, up, down, status, logs, reset (over the parts of
# ops/lib/parts.sh).

cmd_install() { run_install 1; }

cmd_up() {
  local no_build=0 only='' p flink=''
  while (($#)); do
    case $1 in
      --no-build) no_build=1 ;;
      --flink) flink=${2:?--flink needs a mode: embedded or cluster}; shift ;;
      --flink=*) flink=${1#--flink=} ;;
      --only) only=${2:?--only needs a list, e.g. --only postgres,kafka}; shift ;;
      --only=*) only=${1#--only=} ;;
      *) die "up: unknown option '$1' (see $PROG up --help)" ;;
    esac
    shift
  done
  flink_mode_up "$flink"
  if [[ -n $only ]]; then parse_parts "$only"; else PARTS_SELECTED=("${PARTS[@]}"); fi
  check_bind_address_local
  run_install 0
  build_if_needed "$no_build" "${PARTS_SELECTED[@]}"
  mkdir -p "$RUN" "$LOGS" "$PAPERTAPE_HOME/data"
  prepare_service_state
  sup_start
  for p in "${PARTS_SELECTED[@]}"; do
    start_part "$p"
  done
  echo
  print_status || true
  flink_cluster_print_jobs
  printf '\nNext:\n'
  printf '  %-36s # %s\n' \
    "kcat -b $PAPERTAPE_KAFKA_BOOTSTRAP -L" "brokers, topics, partitions" \
    "$PROG psql -c '\\dt'" "the database" \
    "$PROG status" "health of every part" \
    "$PROG logs api -f" "follow a log (${PARTS[*]})" \
    "$PROG down" "stop everything (data is kept)"
}

# shellcheck disable=SC2120 # main passes the command line; reset none
cmd_down() {
  (($# == 0)) || die "down takes no arguments (see $PROG down --help)"
  local i any=0
  flink_mode_load
  for ((i = ${#PARTS[@]} - 1; i >= 0; i--)); do
    if stop_part "${PARTS[i]}"; then any=1; fi
  done
  sup_stop
  flink_mode_forget
  use_cluster test
  if [[ -f $PGC_DATA/PG_VERSION ]]; then
    pg_bin
    if pgc_running && test_running; then
      note "a $PROG test is running: its test database is left to it"
    elif pgc_running; then
      any=1
      pgc_stop
    fi
  fi
  ((any)) || ok "nothing was running"
}

cmd_status() {
  (($# == 0)) || die "status takes no arguments"
  local up=1
  flink_mode_load
  print_status || up=0
  flink_cluster_print_jobs
  if ((up)); then
    ok "all parts up"
  else
    bad "not all parts are up (start them: $PROG up; details: $PROG logs <part>)"
    return 1
  fi
}

cmd_logs() {
  local part='' follow=0 lines=''
  while (($#)); do
    case $1 in
      -f | --follow) follow=1 ;;
      -n) lines=${2:?-n needs a number}; shift ;;
      -*) die "logs: unknown option '$1'" ;;
      *) part=$1 ;;
    esac
    shift
  done
  local files=() f
  if [[ -n $part ]]; then
    f=$(log_file "$part")
    [[ -f $f ]] || die "no log for '$part' yet ($(rel "$f")); parts: ${PARTS[*]} postgres-test timescaledb-build install"
    files=("$f")
    lines=${lines:-100}
  else
    for f in "$LOGS"/*.log; do
      if [[ -f $f ]]; then files+=("$f"); fi
    done
    ((${#files[@]})) || die "no logs yet in $(rel "$LOGS") (start with $PROG up)"
    lines=${lines:-20}
  fi
  if ((follow)); then
    exec tail -n "$lines" -F "${files[@]}"
  else
    tail -n "$lines" "${files[@]}"
  fi
}

cmd_reset() {
  local yes=0 answer
  while (($#)); do
    case $1 in
      --yes | -y) yes=1 ;;
      *) die "reset: unknown option '$1' (see $PROG reset --help)" ;;
    esac
    shift
  done
  if ((!yes)); then
    [[ -t 0 ]] || die "reset deletes all local data: without a terminal, confirm with $PROG reset --yes"
    read -r -p "Delete all local data in $(rel "$PAPERTAPE_HOME")/data (database, topics, checkpoints)? [y/N] " answer
    [[ $answer =~ ^[Yy]([Ee][Ss])?$ ]] || { note "nothing deleted"; return 0; }
  fi
  # shellcheck disable=SC2119
  cmd_down
  rm -rf "${PAPERTAPE_HOME:?}/data"
  ok "deleted $(rel "$PAPERTAPE_HOME")/data (next '$PROG up' starts empty)"
}
