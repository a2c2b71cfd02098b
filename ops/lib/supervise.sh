# shellcheck shell=bash
# Supervising the parts declared in ops/lib/parts.sh: start detached and wait until healthy, stop,
# PID, health and address for 'status'. Everything here reads the declarations; nothing names a part.

# ---------------------------------------------------------------------------------------------
# declarations
# ---------------------------------------------------------------------------------------------
PARTS=()             # in start order
declare -A PART_SPEC # NAME.FIELD -> value
PART_FIELDS=(command start stop ports health health_label marker pidfile log user start_timeout
  stop_timeout artifacts where running about)

# part NAME FIELD=VALUE... : declares a part (fields: see ops/lib/parts.sh). Values may hold
# {VARIABLE}, filled in when used (part_fill), so settings loaded later apply.
part() {
  local name=$1 kv field
  shift
  [[ $name =~ ^[a-z][a-z0-9-]*$ && " ${PARTS[*]} " != *" $name "* ]] || die "part '$name': bad or repeated name"
  for field in "${PART_FIELDS[@]}"; do PART_SPEC[$name.$field]=''; done
  PART_SPEC[$name.pidfile]="{RUN}/$name.pid"
  PART_SPEC[$name.log]=$name.log
  PART_SPEC[$name.start_timeout]=60
  PART_SPEC[$name.stop_timeout]=30
  for kv in "$@"; do
    field=${kv%%=*}
    [[ $kv == *=* && -n ${PART_SPEC[$name.$field]+set} ]] || die "part '$name': unknown field '$kv' (fields: ${PART_FIELDS[*]})"
    PART_SPEC[$name.$field]=${kv#*=}
  done
  [[ -n ${PART_SPEC[$name.command]}${PART_SPEC[$name.start]} ]] || die "part '$name': needs command= or start="
  if [[ -z ${PART_SPEC[$name.health_label]} && ${PART_SPEC[$name.health]} == http* ]]; then
    PART_SPEC[$name.health_label]="GET /${PART_SPEC[$name.health]#http*://*/}"
  fi
  [[ -n ${PART_SPEC[$name.running]} ]] || PART_SPEC[$name.running]=${PART_SPEC[$name.where]}
  PARTS+=("$name")
}

# fill TEMPLATE : TEMPLATE with every {VARIABLE} replaced by that variable's value.
fill() {
  local rest=$1 out='' var
  while [[ $rest =~ ^([^{]*)\{([A-Za-z_][A-Za-z0-9_]*)\}(.*)$ ]]; do
    var=${BASH_REMATCH[2]}
    out+=${BASH_REMATCH[1]}${!var}
    rest=${BASH_REMATCH[3]}
  done
  printf '%s' "$out$rest"
}

# part_fill PART FIELD : the field, filled in.
part_fill() { fill "${PART_SPEC[$1.$2]}"; }

# part_list PART FIELD : a comma-separated field, one item per line.
part_list() {
  local items=()
  IFS=, read -r -a items <<<"${PART_SPEC[$1.$2]}"
  ((${#items[@]} == 0)) || printf '%s\n' "${items[@]}"
}

# parse_parts "a,b" -> PARTS_SELECTED in canonical order
parse_parts() {
  local wanted=",$1," p found=()
  for p in ${1//,/ }; do
    [[ " ${PARTS[*]} " == *" $p "* ]] || die "unknown part '$p' (parts: ${PARTS[*]})"
  done
  for p in "${PARTS[@]}"; do
    if [[ $wanted == *",$p,"* ]]; then found+=("$p"); fi
  done
  # shellcheck disable=SC2034 # read by cmd_up
  PARTS_SELECTED=("${found[@]}")
}

# ---------------------------------------------------------------------------------------------
# ports, PIDs, health
# ---------------------------------------------------------------------------------------------
port_open() { (exec 3<>"/dev/tcp/$LOCAL_ADDRESS/$1") 2>/dev/null; }

port_owner() {
  local who
  who=$(ss -ltnpH "sport = :$1" 2>/dev/null | grep -o 'users:(("[^"]*",pid=[0-9]*' | head -n 1 |
    sed -E 's/users:\(\("([^"]*)",pid=([0-9]*)/\1, pid \2/' || true)
  printf '%s' "${who:-another process}"
}

# check_port_free PART VARIABLE : fails naming the setting when its port is taken.
check_port_free() {
  local port=${!2}
  if port_open "$port"; then
    die "$1: port $port is already in use by $(port_owner "$port"); stop that, or set $2 to a free port (in .env)"
  fi
}

http_ok() { curl -fsS -o /dev/null --max-time 3 "$1" 2>/dev/null; }

pid_file() { part_fill "$1" pidfile; }
# The log of a part, or of another name (postgres-test, install, ...).
log_file() { printf '%s/%s' "$LOGS" "${PART_SPEC[$1.log]:-$1.log}"; }

# Prints the PID of a running part (empty when it is not running): the first line of its PID file,
# when that process's command line holds the part's marker (guards against reused PIDs).
part_pid() {
  local part=$1 pid marker
  pid=$(head -n 1 "$(pid_file "$part")" 2>/dev/null || true)
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  marker=$(part_fill "$part" marker)
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker"; then
    printf '%s' "$pid"
  fi
}

# The health check: GET of the URL (http...), or the named function.
part_healthy() {
  local check=${PART_SPEC[$1.health]}
  if [[ $check == http* ]]; then
    http_ok "$(fill "$check")"
  else
    "$check"
  fi
}

part_where() { part_fill "$1" where; }
health_label() { printf '%s\n' "${PART_SPEC[$1.health_label]}"; }

# ---------------------------------------------------------------------------------------------
# start and stop
# ---------------------------------------------------------------------------------------------
# Starts a part's command detached (own session, immune to hangups), as the service user when we
# are root, its stdout+stderr appended to its log through the rotator (ops/lib/logs.sh). The
# command keeps the PID recorded here: setsid, nohup, setpriv, env and bash all exec.
spawn() {
  local part=$1 log pid cwd=$ROOT
  shift
  log=$(log_file "$part")
  mkdir -p "$RUN" "$LOGS"
  service_prefix
  # the part runs as the owner of LOGS (prepare_service_state), so it runs the bare rotator
  if is_root; then
    rotator_cmd "$log"
    cwd=$PAPERTAPE_HOME
  else
    ROTATOR=(perl "$ROTATE_LOG" "$log" "$LOG_MAX_BYTES" "$PAPERTAPE_LOG_BACKUPS")
  fi
  # shellcheck disable=SC2016 # expanded by the inner bash
  (cd "$cwd" && exec setsid nohup "${SERVICE_CMD[@]}" bash -c '
    n=$1 part=$2
    shift 2
    rotator=("${@:1:n}")
    shift "$n"
    exec > >(exec "${rotator[@]}") 2>&1
    printf "\n=== %s: %s starting (./papertape up) ===\n" "$(date "+%F %T")" "$part"
    exec "$@"' spawn "${#ROTATOR[@]}" "$part" "${ROTATOR[@]}" "$@" </dev/null >/dev/null 2>&1) &
  pid=$!
  echo "$pid" >"$(pid_file "$part")"
}


# wait_healthy PART TIMEOUT_S : waits for the health check; on death or timeout shows the log and fails.
wait_healthy() {
  local part=$1 timeout=$2 start pid
  start=$(now)
  while true; do
    if part_healthy "$part"; then
      ok "$part ready ($(($(now) - start)) s): $(part_where "$part")  pid $(part_pid "$part")  log $(rel "$(log_file "$part")")"
      return 0
    fi
    pid=$(part_pid "$part")
    if [[ -z $pid ]]; then
      tail_log "$(log_file "$part")"
      die "$part exited during start; the log is above ($(rel "$(log_file "$part")"))"
    fi
    if (($(now) - start >= timeout)); then
      tail_log "$(log_file "$part")"
      stop_pid "$part" "$pid" >/dev/null
      die "$part not healthy after $timeout s ($(health_label "$part") failed); stopped it; the log is above"
    fi
    sleep 1
  done
}

# stop_pid PART PID : SIGTERM, then SIGKILL after the part's stop_timeout (flink: 100 s, room for
# its stop-with-savepoint of up to 60 s and the cancel after it).
stop_pid() {
  local part=$1 pid=$2 i ticks
  ticks=$((${PART_SPEC[$part.stop_timeout]:-30} * 2))
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < ticks; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
    ok "$part stopped (pid $pid; killed after $((ticks / 2)) s)"
  else
    ok "$part stopped (pid $pid)"
  fi
  rm -f "$(pid_file "$part")"
}

# start_part PART : its start= hook, or: left alone when running and healthy, waited for when
# running, else its ports checked free, its command= built (PART_CMD), spawned and waited for.
start_part() {
  local part=$1 pid var
  if [[ -n ${PART_SPEC[$part.start]} ]]; then
    "${PART_SPEC[$part.start]}"
    return
  fi
  pid=$(part_pid "$part")
  if [[ -n $pid ]] && part_healthy "$part"; then
    ok "$part already running: $(part_fill "$part" running)  pid $pid"
    return 0
  fi
  if [[ -n $pid ]]; then
    wait_healthy "$part" "${PART_SPEC[$part.start_timeout]}"
    return 0
  fi
  for var in $(part_list "$part" ports); do
    check_port_free "$part" "$var"
  done
  PART_CMD=()
  "${PART_SPEC[$part.command]}"
  spawn "$part" "${PART_CMD[@]}"
  wait_healthy "$part" "${PART_SPEC[$part.start_timeout]}"
}

# stop_part PART : its stop= hook, or SIGTERM (stop_pid); false when it was not running.
stop_part() {
  local part=$1 pid
  if [[ -n ${PART_SPEC[$part.stop]} ]]; then
    "${PART_SPEC[$part.stop]}"
    return
  fi
  pid=$(part_pid "$part")
  if [[ -n $pid ]]; then
    stop_pid "$part" "$pid"
  else
    rm -f "$(pid_file "$part")"
    return 1
  fi
}

# Prints the status table; returns 0 only if every part is up and healthy.
print_status() {
  local p pid health state user all=0
  printf '%-9s %-5s %-22s %-8s %-10s %s\n' PART STATE HEALTH PID USER WHERE
  for p in "${PARTS[@]}"; do
    pid=$(part_pid "$p")
    user=-
    if [[ -n $pid ]]; then user=$(ps -o user= -p "$pid" 2>/dev/null || echo -); fi
    if part_healthy "$p"; then
      health="ok ($(health_label "$p"))"
    else
      health="-"
    fi
    if [[ -n $pid && $health != - ]]; then
      state=up
    elif [[ -n $pid ]]; then
      state=up
      health="FAILING ($(health_label "$p"))"
      all=1
    else
      state=down
      all=1
      if [[ $health != - ]]; then health="answers, but not ours"; fi
    fi
    printf '%-9s %-5s %-22s %-8s %-10s %s\n' "$p" "$state" "$health" "${pid:--}" "$user" "$(part_where "$p")"
  done
  return "$all"
}
