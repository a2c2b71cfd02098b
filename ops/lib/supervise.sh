# shellcheck shell=bash
# Supervising the parts declared in ops/lib/parts.sh with supervisord (Debian's supervisor): one
# program per part, generated from its entry; up, down, status. Everything here reads the
# declarations; nothing names a part.
#
# Why supervisord: it restarts a part that exits (with a growing delay while it keeps failing to
# start), stops it with the part's own signal and timeout, and is driven over a private socket
# (supervisorctl, XML-RPC). ops/lib/supervisor-watch.py, its event listener, adds what it lacks:
# a part that stays unhealthy longer than PAPERTAPE_HEALTH_GRACE is restarted, a part it gave up on
# is retried every minute, and every restart is recorded with its reason for 'status'.

# ---------------------------------------------------------------------------------------------
# declarations
# ---------------------------------------------------------------------------------------------
PARTS=()             # in start order
declare -A PART_SPEC # NAME.FIELD -> value
PART_FIELDS=(command after ports health health_label live log user start_timeout stop_timeout
  stop_signal start_secs artifacts where running about before_stop)

# part NAME FIELD=VALUE... : declares a part (fields: see ops/lib/parts.sh). Values may hold
# {VARIABLE}, filled in when used (part_fill), so settings loaded later apply.
part() {
  local name=$1 kv field
  shift
  [[ $name =~ ^[a-z][a-z0-9-]*$ && " ${PARTS[*]} " != *" $name "* ]] || die "part '$name': bad or repeated name"
  for field in "${PART_FIELDS[@]}"; do PART_SPEC[$name.$field]=''; done
  PART_SPEC[$name.log]=$name.log
  PART_SPEC[$name.user]=service
  PART_SPEC[$name.stop_signal]=TERM
  PART_SPEC[$name.start_secs]=5
  PART_SPEC[$name.start_timeout]=60
  PART_SPEC[$name.stop_timeout]=30
  for kv in "$@"; do
    field=${kv%%=*}
    [[ $kv == *=* && -n ${PART_SPEC[$name.$field]+set} ]] || die "part '$name': unknown field '$kv' (fields: ${PART_FIELDS[*]})"
    PART_SPEC[$name.$field]=${kv#*=}
  done
  [[ -n ${PART_SPEC[$name.command]} ]] || die "part '$name': needs command="
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

# The log of a part, or of another name (postgres-test, install, ...).
log_file() { printf '%s/%s' "$LOGS" "${PART_SPEC[$1.log]:-$1.log}"; }

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
# supervisord: configuration, launchers, control
# ---------------------------------------------------------------------------------------------
# Its files are root's when ./papertape runs as root (RUN is root's): the configuration, one
# launcher per part (mode 700: it holds the settings, passwords included), the control socket
# (mode 700), its own log, and the watcher's record of restarts (state/NAME).
sup_paths() {
  SUP_DIR=$RUN/supervisor
  SUP_CONF=$SUP_DIR/supervisord.conf
  SUP_SOCK=$SUP_DIR/supervisor.sock
  SUP_LOG=$SUP_DIR/supervisord.log
}

supctl() {
  sup_paths
  supervisorctl -c "$SUP_CONF" "$@"
}

# True when our supervisord answers on its socket.
sup_running() {
  sup_paths
  [[ -S $SUP_SOCK && -f $SUP_CONF ]] && supctl pid >/dev/null 2>&1
}

# part_state PART : RUNNING, STARTING, BACKOFF, STOPPED, EXITED, FATAL, STOPPING, UNKNOWN (or DOWN
# when supervisord is not running).
part_state() {
  local line state=''
  if ! sup_running; then
    printf 'DOWN'
    return 0
  fi
  line=$(supctl status "$1" 2>/dev/null || true)
  read -r _ state _ <<<"$line"
  printf '%s' "${state:-UNKNOWN}"
}

# The PID of a running part (empty when it is not running).
part_pid() {
  local pid
  sup_running || return 0
  pid=$(supctl pid "$1" 2>/dev/null || true)
  if [[ $pid =~ ^[1-9][0-9]*$ ]]; then printf '%s' "$pid"; fi
}

# seconds_setting VAR : the value of a duration setting in seconds (30, 30s, 2m).
seconds_setting() {
  local v=${!1}
  if [[ $v =~ ^([0-9]{1,6})(s)?$ ]]; then
    printf '%s' "$((10#${BASH_REMATCH[1]}))"
  elif [[ $v =~ ^([0-9]{1,4})m$ ]]; then
    printf '%s' "$((10#${BASH_REMATCH[1]} * 60))"
  else
    die "setting $1='$v' is invalid: expected a duration such as 60s or 2m"
  fi
}

# RUN_AS: the prefix that runs a part as its user (service: the service user; postgres: the
# server's user) when ./papertape runs as root; empty otherwise.
run_as() {
  RUN_AS=()
  is_root || return 0
  if [[ ${PART_SPEC[$1.user]} == postgres ]]; then
    RUN_AS=(setpriv --reuid=postgres --regid="$(id -g postgres)" --init-groups --no-new-privs --inh-caps=-all --
      env -i HOME=/var/lib/postgresql USER=postgres LOGNAME=postgres PATH=/usr/bin:/bin)
    local v
    for v in "${SERVICE_ENV_KEEP[@]}"; do
      if [[ -n ${!v:-} ]]; then RUN_AS+=("$v=${!v}"); fi
    done
  else
    service_prefix
    RUN_AS=("${SERVICE_CMD[@]}")
  fi
}

# write_launcher PART : runs its command= function (which prepares what the part needs and sets
# PART_CMD) and writes SUP_DIR/PART.run, the script supervisord starts: the part's output goes to
# its log through the rotator (ops/lib/logs.sh), then it execs the command as its user. Every
# step execs, so supervisord's PID is the part's own and its signals reach the part itself.
write_launcher() {
  local part=$1 file cwd=$ROOT v
  sup_paths
  PART_CMD=()
  "${PART_SPEC[$part.command]}"
  run_as "$part"
  log_writer "$(log_file "$part")"
  if is_root; then cwd=$PAPERTAPE_HOME; fi
  file=$SUP_DIR/$part.run
  {
    printf '#!/bin/bash\n# The part %s, written by ./papertape up (edit .env or ops/lib/parts.sh instead).\n' "$part"
    for v in $(compgen -e PAPERTAPE_); do printf 'export %s=%q\n' "$v" "${!v}"; done
    printf 'cd %q || exit 1\n' "$cwd"
    printf 'exec > >(exec'
    printf ' %q' "${LOG_WRITER[@]}"
    printf ') 2>&1\n'
    # shellcheck disable=SC2016 # written into the launcher
    printf 'printf "\\n=== %%s: %s starting (supervisord) ===\\n" "$(date "+%%F %%T")"\n' "$part"
    printf 'exec'
    printf ' %q' "${RUN_AS[@]}" "${PART_CMD[@]}"
    printf '\n'
  } >"$file.tmp"
  chmod 700 "$file.tmp"
  mv -f "$file.tmp" "$file"
}

# The liveness check the watcher runs: http://... (2xx) or tcp:HOST:PORT.
part_live() { part_fill "$1" live; }

# A value for supervisord.conf, where % starts an expansion.
sup_escape() { printf '%s' "${1//%/%%}"; }

# write_sup_conf : supervisord.conf for every part (each only started by 'up'), and the watcher.
# Written only when it changed, so 'supervisorctl update' restarts nothing that did not change.
write_sup_conf() {
  local p grace conf
  sup_paths
  grace=$(seconds_setting PAPERTAPE_HEALTH_GRACE)
  conf="; Written by ./papertape up from ops/lib/parts.sh: edit those (and .env) instead.
[unix_http_server]
file=$(sup_escape "$SUP_SOCK")
chmod=0700

[supervisord]
logfile=$(sup_escape "$SUP_LOG")
logfile_maxbytes=5MB
logfile_backups=2
pidfile=$(sup_escape "$SUP_DIR/supervisord.pid")
childlogdir=$(sup_escape "$SUP_DIR")
identifier=papertape$(if is_root; then printf '\nuser=root'; fi)

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://$(sup_escape "$SUP_SOCK")

[eventlistener:watch]
command=/usr/bin/python3 -I $(sup_escape "$SUPERVISOR_WATCH") $(sup_escape "$SUP_DIR") $grace
events=PROCESS_STATE,TICK_5
autorestart=true
stderr_logfile=$(sup_escape "$SUP_DIR/watch.log")
stderr_logfile_maxbytes=1MB
stderr_logfile_backups=1
"
  for p in "${PARTS[@]}"; do
    conf+="
[program:$p]
command=/bin/bash $(sup_escape "$SUP_DIR/$p.run")
autostart=false
autorestart=true
startsecs=${PART_SPEC[$p.start_secs]}
startretries=5
stopsignal=${PART_SPEC[$p.stop_signal]}
stopwaitsecs=${PART_SPEC[$p.stop_timeout]}
redirect_stderr=true
stdout_logfile=$(sup_escape "$SUP_DIR/$p.out")
stdout_logfile_maxbytes=1MB
stdout_logfile_backups=1
"
  done
  mkdir -p "$SUP_DIR/state"
  chmod 700 "$SUP_DIR"
  for p in "${PARTS[@]}"; do
    printf '%s\t%s\t%s\n' "$p" "$(part_live "$p")" "${PART_SPEC[$p.start_timeout]}"
  done >"$SUP_DIR/live.tsv"
  if [[ ! -f $SUP_CONF || $(cat "$SUP_CONF") != "$conf" ]]; then
    printf '%s' "$conf" >"$SUP_CONF"
  fi
}

SUPERVISOR_WATCH=$ROOT/ops/lib/supervisor-watch.py

# Starts our supervisord when it is not running (it daemonizes), else applies a changed
# configuration (supervisorctl update).
sup_start() {
  sup_paths
  write_sup_conf
  if sup_running; then
    supctl update >/dev/null
    return 0
  fi
  command -v supervisord >/dev/null || die "supervisord not found: run $PROG install"
  # 'status' counts the restarts since the stack was started
  rm -f "$SUP_SOCK" "$SUP_DIR"/state/*
  supervisord -c "$SUP_CONF" || die "supervisord did not start; see $(rel "$SUP_LOG")"
  for _ in {1..50}; do
    if sup_running; then return 0; fi
    sleep 0.2
  done
  tail_log "$SUP_LOG"
  die "supervisord did not answer on $(rel "$SUP_SOCK") within 10 s; its log is above"
}

# Stops supervisord itself (after the parts: cmd_down).
sup_stop() {
  sup_running || return 0
  supctl shutdown >/dev/null 2>&1 || true
  for _ in {1..50}; do
    if ! supctl pid >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
}

# The watcher's record of a part's restarts: RESTARTS, LAST_RESTART (epoch s), LAST_REASON.
read_restarts() {
  local f
  sup_paths
  f=$SUP_DIR/state/$1
  RESTARTS=0 LAST_RESTART='' LAST_REASON=''
  if [[ -f $f ]]; then IFS=$'\t' read -r RESTARTS LAST_RESTART LAST_REASON <"$f" || true; fi
}

# ---------------------------------------------------------------------------------------------
# start and stop
# ---------------------------------------------------------------------------------------------
# wait_healthy PART TIMEOUT_S : waits for the health check; when the part keeps exiting or the
# time is up, shows its log, stops it and fails.
wait_healthy() {
  local part=$1 timeout=$2 start state
  start=$(now)
  while true; do
    if part_healthy "$part"; then
      ok "$part ready ($(($(now) - start)) s): $(part_where "$part")  pid $(part_pid "$part")  log $(rel "$(log_file "$part")")"
      return 0
    fi
    state=$(part_state "$part")
    if [[ $state == FATAL ]]; then
      tail_log "$(log_file "$part")"
      supctl stop "$part" >/dev/null 2>&1 || true
      die "$part keeps exiting during start; the log is above ($(rel "$(log_file "$part")"))"
    fi
    if (($(now) - start >= timeout)); then
      tail_log "$(log_file "$part")"
      supctl stop "$part" >/dev/null 2>&1 || true
      die "$part not healthy after $timeout s ($(health_label "$part") failed; it is $state); stopped it; the log is above"
    fi
    sleep 1
  done
}

# start_part PART : left alone when running and healthy, waited for when running; else its ports
# checked free, its launcher written and supervisord asked to start it; then its after= hook.
start_part() {
  local part=$1 var state
  state=$(part_state "$part")
  if [[ $state == RUNNING ]] && part_healthy "$part"; then
    ok "$part already running: $(part_fill "$part" running)  pid $(part_pid "$part")"
  elif [[ $state == RUNNING || $state == STARTING || $state == BACKOFF ]]; then
    wait_healthy "$part" "${PART_SPEC[$part.start_timeout]}"
  else
    for var in $(part_list "$part" ports); do
      check_port_free "$part" "$var"
    done
    write_launcher "$part"
    supctl start "$part" >/dev/null 2>&1 || true
    wait_healthy "$part" "${PART_SPEC[$part.start_timeout]}"
  fi
  if [[ -n ${PART_SPEC[$part.after]} ]]; then "${PART_SPEC[$part.after]}"; fi
}

# stop_part PART : its before_stop= hook (the cluster mode's jobs stop with a savepoint), then
# supervisord stops it (its stop_signal, SIGKILL after stop_timeout: flink gets 100 s, room for its
# stop-with-savepoint); false when it was not running.
stop_part() {
  local part=$1 pid state
  state=$(part_state "$part")
  case $state in
    RUNNING | STARTING | BACKOFF | STOPPING)
      pid=$(part_pid "$part")
      if [[ -n ${PART_SPEC[$part.before_stop]} ]]; then "${PART_SPEC[$part.before_stop]}" || true; fi
      supctl stop "$part" >/dev/null 2>&1 || true
      ok "$part stopped${pid:+ (pid $pid)}"
      ;;
    *) return 1 ;;
  esac
}

# Prints the status table; returns 0 only if every part is up and healthy.
print_status() {
  local p pid health state user all=0 when w=9
  for p in "${PARTS[@]}"; do ((${#p} <= w)) || w=${#p}; done
  printf '%-*s %-8s %-26s %-8s %-10s %-8s %s\n' "$w" PART STATE HEALTH PID USER RESTARTS WHERE
  for p in "${PARTS[@]}"; do
    state=$(part_state "$p")
    pid=$(part_pid "$p")
    user=-
    if [[ -n $pid ]]; then user=$(ps -o user= -p "$pid" 2>/dev/null || echo -); fi
    if part_healthy "$p"; then
      health="ok ($(health_label "$p"))"
      if [[ $state != RUNNING ]]; then health="answers, but not ours"; all=1; fi
    elif [[ $state == RUNNING || $state == STARTING || $state == BACKOFF ]]; then
      health="FAILING ($(health_label "$p"))"
      all=1
    else
      health=-
      all=1
    fi
    read_restarts "$p"
    printf '%-*s %-8s %-26s %-8s %-10s %-8s %s\n' "$w" "$p" "${state,,}" "$health" "${pid:--}" "$user" "$RESTARTS" "$(part_where "$p")"
    if ((RESTARTS > 0)); then
      when=$(date -d "@$LAST_RESTART" '+%F %T' 2>/dev/null || echo '?')
      printf '%-*s   last restart %s: %s\n' "$w" '' "$when" "$LAST_REASON"
    fi
  done
  return "$all"
}
