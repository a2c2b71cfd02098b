# shellcheck shell=bash
# The unprivileged user of the Java parts (sourced by ./papertape).
#
# When ./papertape runs as root, kafka, api, flink and feed run as PAPERTAPE_SERVICE_USER
# (default papertape, a system user without a login shell that 'install' creates), as PostgreSQL
# runs as postgres. They start through setpriv, which execs: the part keeps the PID ./papertape
# records and gets SIGTERM itself (su and runuser stay in between and SIGKILL their child 2 s after
# a SIGTERM, too early for Flink's stop-with-savepoint). No new privileges, no capabilities, and a
# clean environment: the PAPERTAPE_* settings, PATH and the locale, not root's variables.
#
# Ownership in PAPERTAPE_HOME: data/kafka, data/flink and logs/ belong to that user (the only
# places it writes); PAPERTAPE_HOME itself, data/, run/ (PID files), kafka/ (broker config) and
# lib/ stay root's, so root never writes into a directory the service user controls. Files it
# cannot read where they are (jars in root's ~/.m2, a checkout under /root) are copied into
# PAPERTAPE_HOME/lib/<part> (root's, world-readable) and refreshed when the original changes.
# Without root, everything runs as the calling user, as before.

# The environment variables a service process gets besides PAPERTAPE_*.
SERVICE_ENV_KEEP=(LANG LC_ALL LC_CTYPE LC_NUMERIC TZ)

check_service_user_setting() {
  [[ $PAPERTAPE_SERVICE_USER =~ ^[a-z_][a-z0-9_-]{0,31}$ ]] ||
    die "setting PAPERTAPE_SERVICE_USER='$PAPERTAPE_SERVICE_USER' is invalid: expected a user name (lower case letters, digits, _ and -), e.g. papertape"
}

# Creates the system user when it is missing (idempotent; only as root).
ensure_service_user() {
  is_root || return 0
  local u=$PAPERTAPE_SERVICE_USER
  if ! id -u "$u" >/dev/null 2>&1; then
    useradd --system --user-group --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin --comment 'Papertape services (./papertape up)' "$u" ||
      die "could not create the system user $u (useradd): create it, or set PAPERTAPE_SERVICE_USER to an existing unprivileged user"
    install_ok "user $u" "created the system user $u (no login shell): kafka, api, flink and feed run as it"
  else
    install_ok "user $u" "system user $u (kafka, api, flink and feed run as it when started by root)"
  fi
  (($(id -u "$u") != 0)) ||
    die "PAPERTAPE_SERVICE_USER=$u has uid 0: the Java parts must run as an unprivileged user"
}

# SERVICE_CMD: the command prefix that runs a command as the service user (empty without root).
service_prefix() {
  SERVICE_CMD=()
  is_root || return 0
  local u=$PAPERTAPE_SERVICE_USER v home
  id -u "$u" >/dev/null 2>&1 || die "the service user $u does not exist: run $PROG install"
  home=$(getent passwd "$u" | cut -d: -f6)
  SERVICE_CMD=(setpriv --reuid="$u" --regid="$(id -g "$u")" --init-groups --no-new-privs --inh-caps=-all --
    env -i "HOME=${home:-/nonexistent}" "USER=$u" "LOGNAME=$u" "PATH=/usr/local/bin:/usr/bin:/bin")
  for v in "${SERVICE_ENV_KEEP[@]}"; do
    if [[ -n ${!v:-} ]]; then SERVICE_CMD+=("$v=${!v}"); fi
  done
  for v in $(compgen -e PAPERTAPE_); do
    SERVICE_CMD+=("$v=${!v}")
  done
}

# as_service COMMAND... : runs COMMAND as the service user (as the caller without root).
as_service() {
  service_prefix
  "${SERVICE_CMD[@]}" "$@"
}

# service_paths PART PATH... : SERVICE_PATHS = the paths the service user reads, in order: each PATH
# itself when that user can read it there, else its copy under PAPERTAPE_HOME/lib/PART (copied
# when missing or when size or time differ). Copies no longer listed for PART are removed.
service_paths() {
  local part=$1 lib p dst i copied=0
  shift
  SERVICE_PATHS=("$@")
  is_root || return 0
  lib=$PAPERTAPE_HOME/lib/$part
  local -A unreadable=() keep=()
  service_prefix
  # shellcheck disable=SC2016 # $f belongs to the inner sh
  while IFS= read -r p; do
    if [[ -n $p ]]; then unreadable[$p]=1; fi
  done < <("${SERVICE_CMD[@]}" /bin/sh -c 'for f do [ -r "$f" ] || printf "%s\n" "$f"; done' sh "$@")
  for i in "${!SERVICE_PATHS[@]}"; do
    p=${SERVICE_PATHS[i]}
    [[ -n ${unreadable[$p]:-} ]] || continue
    [[ $p == /* && -f $p && ! -L $p ]] ||
      die "$part: user $PAPERTAPE_SERVICE_USER cannot read $p, and it is not a plain file ./papertape can copy for it; make it readable (chmod o+rX on it and its parents)"
    dst=$lib$p
    if [[ ! -f $dst || $(stat -c '%s %Y' -- "$p") != "$(stat -c '%s %Y' -- "$dst")" ]]; then
      install -D -p -m 644 -- "$p" "$dst"
      copied=$((copied + 1))
    fi
    SERVICE_PATHS[i]=$dst
    keep[$dst]=1
  done
  if [[ -d $lib ]]; then
    while IFS= read -r -d '' p; do
      if [[ -z ${keep[$p]:-} ]]; then rm -f -- "$p"; fi
    done < <(find "$lib" -type f -print0)
    find "$lib" -mindepth 1 -type d -empty -delete
  fi
  if ((copied)); then
    note "$part: copied $copied file(s) that user $PAPERTAPE_SERVICE_USER cannot read where they are into $(rel "$lib")"
  fi
}

# service_classpath PART CLASSPATH : SERVICE_CLASSPATH = CLASSPATH with every entry readable by the
# service user (see service_paths).
service_classpath() {
  local part=$1 entries=()
  IFS=: read -r -a entries <<<"$2"
  service_paths "$part" "${entries[@]}"
  # shellcheck disable=SC2034 # read by papertape
  SERVICE_CLASSPATH=$(IFS=:; printf '%s' "${SERVICE_PATHS[*]}")
}

# JAVA: the java the parts run with, as an absolute path the service user can execute.
resolve_java() {
  [[ -z ${JAVA:-} ]] || return 0
  JAVA=$(command -v java) || die "java not found: install a JDK 17 (apt-get install openjdk-17-jdk-headless)"
  is_root || return 0
  JAVA=$(readlink -f "$JAVA")
  as_service "$JAVA" -version >/dev/null 2>&1 ||
    die "user $PAPERTAPE_SERVICE_USER cannot run $JAVA (is it under a private home?): install a system JDK (apt-get install openjdk-17-jdk-headless) and put it first on PATH"
}

# A directory root owns and nobody else can write to (symbolic links resolved): safe for root.
root_dir_ok() {
  local uid perms
  read -r uid perms < <(stat -L -c '%u %A' -- "$1" 2>/dev/null) || return 1
  # drwxr-xr-x: no w for the group (6th) nor others (9th)
  [[ -d $1 && $uid == 0 && ${perms:5:1} != w && ${perms:8:1} != w ]]
}

# service_dir DIR : DIR exists, is no symbolic link and belongs to the service user. A directory
# root wrote before (an earlier ./papertape ran the parts as root) is handed over once, with
# chown -h (links themselves, never their targets); one of another user is an error.
service_dir() {
  local dir=$1 owner
  if [[ -L $dir ]]; then
    die "refusing $dir: it is a symbolic link; the service user's state directories must be real directories (remove the link, or set PAPERTAPE_HOME)"
  fi
  if [[ ! -e $dir ]]; then
    mkdir -m 750 -- "$dir"
    chown -h "$PAPERTAPE_SERVICE_USER:" -- "$dir"
    return 0
  fi
  [[ -d $dir ]] || die "$dir is not a directory"
  owner=$(stat -c %U -- "$dir")
  if [[ $owner == root ]]; then
    note "handing $(rel "$dir") (written by root before) to user $PAPERTAPE_SERVICE_USER"
    chown -R -h -P "$PAPERTAPE_SERVICE_USER:" -- "$dir"
    chmod 750 -- "$dir"
  elif [[ $owner != "$PAPERTAPE_SERVICE_USER" ]]; then
    die "$dir belongs to user $owner, not to $PAPERTAPE_SERVICE_USER (PAPERTAPE_SERVICE_USER): give it to that user (chown -R -h $PAPERTAPE_SERVICE_USER: $dir) or remove it"
  fi
}

# As root: PAPERTAPE_HOME and data/ are root's and not writable by others, the service user can
# reach them, and the directories it writes belong to it.
prepare_service_state() {
  is_root || return 0
  local d
  mkdir -p "$PAPERTAPE_HOME" "$PAPERTAPE_HOME/data" "$RUN"
  for d in "$PAPERTAPE_HOME" "$PAPERTAPE_HOME/data" "$RUN"; do
    root_dir_ok "$d" ||
      die "$d must belong to root and be writable by nobody else when ./papertape runs as root (it is $(stat -L -c '%U, mode %a' -- "$d")); fix it (chown root: $d; chmod go-w $d) or set PAPERTAPE_HOME to a new directory, e.g. /var/lib/papertape"
  done
  as_service test -x "$PAPERTAPE_HOME/data" ||
    die "user $PAPERTAPE_SERVICE_USER cannot reach $PAPERTAPE_HOME (a parent directory is private, e.g. /root): make the parents traversable (chmod o+x) or set PAPERTAPE_HOME elsewhere, e.g. PAPERTAPE_HOME=/var/lib/papertape in .env"
  service_dir "$LOGS"
  service_dir "$PAPERTAPE_HOME/data/kafka"
  service_dir "$PAPERTAPE_FLINK_STATE_DIR"
}
