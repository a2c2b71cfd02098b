# shellcheck shell=bash
# Logs of the parts, rotated by size (sourced by ./papertape).
#
# Every part writes to its stdout/stderr as before (structured JSON lines for the Java parts); the
# stream goes through ops/lib/rotate-log.pl into LOGS/<part>.log, which becomes <part>.log.1 once it
# holds PAPERTAPE_LOG_MAX_SIZE, keeping PAPERTAPE_LOG_BACKUPS old files. One mechanism for all five
# parts (PostgreSQL included), `tail -F` follows across rotations, and a process supervisor that
# rotates stdout itself (supervisord's *_logfile_maxbytes/_backups take the same two values) can
# replace the pipe without touching any logging configuration.
#
# Root never opens a file in a directory another user controls: writes into LOGS run as the owner
# of LOGS (the service user once `up` has run as root).

# LOG_MAX_BYTES from PAPERTAPE_LOG_MAX_SIZE (bytes, or with KB, MB, GB: powers of 1024).
log_settings() {
  local n unit
  if [[ ${PAPERTAPE_LOG_MAX_SIZE^^} =~ ^([1-9][0-9]{0,9})(B|KB|MB|GB)?$ ]]; then
    n=${BASH_REMATCH[1]}
    unit=${BASH_REMATCH[2]}
  else
    die "setting PAPERTAPE_LOG_MAX_SIZE='$PAPERTAPE_LOG_MAX_SIZE' is invalid: expected a size such as 50MB (a whole number with B, KB, MB or GB; 1 KB = 1024 bytes)"
  fi
  case $unit in
    KB) LOG_MAX_BYTES=$((n * 1024)) ;;
    MB) LOG_MAX_BYTES=$((n * 1024 * 1024)) ;;
    GB) LOG_MAX_BYTES=$((n * 1024 * 1024 * 1024)) ;;
    *) LOG_MAX_BYTES=$n ;;
  esac
  [[ $PAPERTAPE_LOG_BACKUPS =~ ^[0-9]{1,3}$ ]] ||
    die "setting PAPERTAPE_LOG_BACKUPS='$PAPERTAPE_LOG_BACKUPS' is invalid: expected how many rotated files to keep per log, 0 to 999"
  PAPERTAPE_LOG_BACKUPS=$((10#$PAPERTAPE_LOG_BACKUPS))
}

ROTATE_LOG=$ROOT/ops/lib/rotate-log.pl

# ROTATOR: the command that appends its standard input to $1 with rotation, with a script path the
# service user can read when we are root.
rotator_cmd() {
  if [[ -z ${ROTATE_LOG_FOR_SERVICE:-} ]]; then
    service_paths tools "$ROTATE_LOG"
    ROTATE_LOG_FOR_SERVICE=${SERVICE_PATHS[0]}
  fi
  ROTATOR=(perl "$ROTATE_LOG_FOR_SERVICE" "$1" "$LOG_MAX_BYTES" "$PAPERTAPE_LOG_BACKUPS")
}

# LOG_WRITER: ROTATOR for $1, run as the owner of the log's directory (root: root or the service user).
log_writer() {
  local dir owner
  dir=$(dirname "$1")
  LOG_WRITER=()
  if is_root; then
    mkdir -p "$dir"
    owner=$(stat -c %U -- "$dir")
    if [[ $owner == "$PAPERTAPE_SERVICE_USER" ]]; then
      service_prefix
      LOG_WRITER=("${SERVICE_CMD[@]}")
    elif [[ $owner != root ]]; then
      die "$dir belongs to user $owner: root does not write logs into another user's directory; give it to $PAPERTAPE_SERVICE_USER (chown -R -h $PAPERTAPE_SERVICE_USER: $dir) or remove it"
    fi
  fi
  if [[ ${#LOG_WRITER[@]} -gt 0 ]]; then rotator_cmd "$1"; else ROTATOR=(perl "$ROTATE_LOG" "$1" "$LOG_MAX_BYTES" "$PAPERTAPE_LOG_BACKUPS"); fi
  LOG_WRITER+=("${ROTATOR[@]}")
}

# log_append FILE : appends standard input to FILE (a log in LOGS), rotating it.
log_append() {
  log_writer "$1"
  "${LOG_WRITER[@]}"
}
