# shellcheck shell=bash
# Settings: .env (KEY=VALUE lines; variables already in the environment win), then defaults;
# the bind address checks.

ENV_FILE_KEYS=()
load_env_file() {
  local file=$ROOT/.env line key value
  [[ -f $file ]] || return 0
  while IFS= read -r line || [[ -n $line ]]; do
    line=${line%$'\r'}
    [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
    line=${line#export }
    [[ $line =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || {
      bad ".env: ignoring a line that is not KEY=VALUE: $line"
      continue
    }
    key=${BASH_REMATCH[1]}
    value=${BASH_REMATCH[2]}
    value=${value%"${value##*[![:space:]]}"}
    if [[ $value =~ ^\"(.*)\"$ || $value =~ ^\'(.*)\'$ ]]; then
      value=${BASH_REMATCH[1]}
    fi
    # The environment wins over .env; within .env the last line wins.
    if [[ " ${ENV_FILE_KEYS[*]} " == *" $key "* ]]; then
      printf -v "$key" '%s' "$value"
    elif [[ -z ${!key+set} ]]; then
      printf -v "$key" '%s' "$value"
      ENV_FILE_KEYS+=("$key")
    fi
  done <"$file"
}

load_settings() {
  load_env_file
  : "${PAPERTAPE_HOME:=$ROOT/.papertape}"
  : "${PAPERTAPE_BIND_ADDRESS:=127.0.0.1}"
  check_bind_address
  : "${PAPERTAPE_DB_HOST:=$LOCAL_ADDRESS}"
  : "${PAPERTAPE_DB_PORT:=5432}"
  : "${PAPERTAPE_DB_NAME:=papertape}"
  : "${PAPERTAPE_DB_USER:=papertape}"
  : "${PAPERTAPE_DB_PASSWORD:=papertape}"
  : "${PAPERTAPE_TEST_DB_PORT:=55432}"
  if [[ $LOCAL_ADDRESS == 127.0.0.1 ]]; then
    : "${PAPERTAPE_KAFKA_HOST:=localhost}"
  else
    : "${PAPERTAPE_KAFKA_HOST:=$LOCAL_ADDRESS}"
  fi
  : "${PAPERTAPE_KAFKA_PORT:=9092}"
  : "${PAPERTAPE_KAFKA_CONTROLLER_PORT:=9093}"
  : "${PAPERTAPE_KAFKA_HEAP:=1g}"
  : "${PAPERTAPE_API_PORT:=8080}"
  : "${PAPERTAPE_FLINK_UI_PORT:=8081}"
  : "${PAPERTAPE_FEED_PORT:=8082}"
  : "${PAPERTAPE_FLINK_HEALTH_PORT:=8083}"
  : "${PAPERTAPE_FLINK_PROMETHEUS_PORT:=9249}"
  : "${PAPERTAPE_JAVA_OPTS:=}"
  : "${PAPERTAPE_SERVICE_USER:=papertape}"
  : "${PAPERTAPE_LOG_MAX_SIZE:=50MB}"
  : "${PAPERTAPE_LOG_BACKUPS:=3}"
  : "${PAPERTAPE_HEALTH_GRACE:=60s}"
  # the user 'up' creates (ops/lib/users.sh api_after); set but empty: none
  : "${PAPERTAPE_DEMO_USER=demo}"
  check_service_user_setting
  log_settings
  [[ $PAPERTAPE_HOME == /* ]] || PAPERTAPE_HOME=$ROOT/$PAPERTAPE_HOME
  # Derived, for the Java processes.
  export PAPERTAPE_KAFKA_BOOTSTRAP=$PAPERTAPE_KAFKA_HOST:$PAPERTAPE_KAFKA_PORT
  export PAPERTAPE_DB_URL=jdbc:postgresql://$PAPERTAPE_DB_HOST:$PAPERTAPE_DB_PORT/$PAPERTAPE_DB_NAME
  export PAPERTAPE_FLINK_STATE_DIR=$PAPERTAPE_HOME/data/flink
  local v
  for v in $(compgen -v PAPERTAPE_) "${ENV_FILE_KEYS[@]}"; do
    export "${v?}"
  done
  # shellcheck disable=SC2034 # used by every other ops/lib file
  LOGS=$PAPERTAPE_HOME/logs
  # shellcheck disable=SC2034
  RUN=$PAPERTAPE_HOME/run
  # What root prepares for the service user must be readable by it.
  if is_root; then umask 022; fi
}

# PAPERTAPE_BIND_ADDRESS: the one address every listener binds (PostgreSQL, Kafka's broker
# listener, the API, Flink's web UI/REST and Prometheus endpoint, the health servers). LOCAL_ADDRESS:
# where this machine's clients (the parts themselves, ./papertape's checks) reach them.
check_bind_address() {
  local octet='(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])'
  [[ $PAPERTAPE_BIND_ADDRESS =~ ^$octet(\.$octet){3}$ ]] ||
    die "setting PAPERTAPE_BIND_ADDRESS='$PAPERTAPE_BIND_ADDRESS' is invalid: expected an IPv4 address: 127.0.0.1 (this machine only, the default), 0.0.0.0 (every interface) or one of this machine's addresses"
  if [[ $PAPERTAPE_BIND_ADDRESS == 0.0.0.0 ]]; then
    LOCAL_ADDRESS=127.0.0.1
  else
    LOCAL_ADDRESS=$PAPERTAPE_BIND_ADDRESS
  fi
}

# Before binding: a specific address must be one of this machine's.
check_bind_address_local() {
  local a=$PAPERTAPE_BIND_ADDRESS
  [[ $a == 0.0.0.0 || $a == 127.* ]] && return 0
  command -v ip >/dev/null || return 0
  ip -4 -o addr show | grep -qF " inet $a/" ||
    die "setting PAPERTAPE_BIND_ADDRESS='$a' is not an address of this machine (it has: $(ip -4 -o addr show | awk '{print $4}' | cut -d/ -f1 | paste -sd ' ')); use one of them, 127.0.0.1 or 0.0.0.0"
}
