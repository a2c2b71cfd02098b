# shellcheck shell=bash
# What every ops/lib file uses: output, privileges, Maven under the machine-wide lock.
# Sourced first (by ./papertape and the bench scripts); defines ROOT, the repository.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck disable=SC2034 # PROG: in the messages of the other files
PROG=./papertape
MVN_LOCK=/tmp/papertape-mvn.lock

ok() { printf '\342\234\223 %s\n' "$*"; }
bad() { printf '\342\234\227 %s\n' "$*" >&2; }
note() { printf '  %s\n' "$*"; }
die() {
  bad "$*"
  exit 1
}
# Relative to the repo root when inside it: shorter lines.
rel() { local p=$1; [[ $p == "$ROOT"/* ]] && p=${p#"$ROOT"/}; printf '%s' "$p"; }
now() { date +%s; }

is_root() { [[ $EUID -eq 0 ]]; }

# Runs a command as root: directly, through sudo, or explains what to run.
as_root() {
  if is_root; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    die "needs root: run as root: $*"
  fi
}

# Runs a PostgreSQL server binary as the postgres user when we are root (the server refuses root).
as_pg() {
  if is_root; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# Every Maven call takes the machine-wide lock: never two Maven processes at once.
mvn_locked() {
  if ! flock -n "$MVN_LOCK" true 2>/dev/null; then
    note "waiting for another Maven build to finish (lock $MVN_LOCK)..."
  fi
  (cd "$ROOT" && flock "$MVN_LOCK" mvn -B "$@")
}

tail_log() {
  local log=$1
  if [[ -s $log ]]; then
    printf -- '--- last 40 lines of %s ---\n' "$(rel "$log")" >&2
    tail -n 40 "$log" >&2
    printf -- '---\n' >&2
  fi
}
