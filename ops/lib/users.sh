# shellcheck shell=bash
# API users and their keys ('./papertape user ...') and the demo user 'up' creates (api_after).
# Everything is SQL in the running main database: bcrypt by pgcrypto's crypt(pw, gen_salt('bf', 10))
# (what the API's BCryptPasswordEncoder reads), keys stored as prefix + hex SHA-256 only. Secrets
# reach psql on its stdin, never on a command line (visible in ps), and are printed once.

USER_NAME_RE='^[a-z][a-z0-9._-]{0,63}$'   # the CHECK of users.name (sql/migrations/V4)
USER_MIN_PASSWORD=8
USER_MAX_PASSWORD=72                       # bcrypt reads at most 72 bytes: refuse, never truncate
API_KEY_PREFIX_LENGTH=10

cmd_user() {
  local sub=${1:-}
  (($#)) && shift
  case $sub in
    add) user_add "$@" ;;
    list) user_list "$@" ;;
    keys) user_keys "$@" ;;
    key) user_key "$@" ;;
    revoke-key) user_revoke_key "$@" ;;
    disable) user_set_enabled false "$@" ;;
    enable) user_set_enabled true "$@" ;;
    '') usage user ;;
    *) die "unknown 'user' command '$sub': see $PROG user --help" ;;
  esac
}

# users_psql ARGS... : psql as the application's role to the main database (the role owns the
# tables), quiet, stopping at the first error; the password through the environment, like cmd_psql.
users_psql() {
  PGPASSWORD=$PAPERTAPE_DB_PASSWORD "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PAPERTAPE_DB_HOST" \
    -p "$PAPERTAPE_DB_PORT" -U "$PAPERTAPE_DB_USER" -d "$PAPERTAPE_DB_NAME" "$@"
}

# The database running, with the migrations that made 'users' applied (the API applies them).
users_db_ready() {
  pg_bin
  use_cluster main
  pgc_running || die "the database is not running: start the stack with $PROG up"
  local present
  present=$(users_psql -At -c "select to_regclass('public.api_keys') is not null") ||
    die "cannot reach the database $PAPERTAPE_DB_NAME on $PAPERTAPE_DB_HOST:$PAPERTAPE_DB_PORT"
  [[ $present == t ]] || die "the database has no users table yet: the API creates it at its first start ($PROG up)"
}

user_check_name() {
  [[ ${1:-} =~ $USER_NAME_RE ]] ||
    die "invalid user name '${1:-}': expected a lower-case letter, then up to 63 of a-z 0-9 . _ - (e.g. alice)"
}

# random_base62 N : N characters from /dev/urandom, each uniform over [0-9A-Za-z] (tr drops the
# other bytes, so there is no modulo bias).
random_base62() {
  local n=$1 out='' chunk
  while ((${#out} < n)); do
    chunk=$(LC_ALL=C tr -dc 'A-Za-z0-9' < <(head -c 512 /dev/urandom))
    out+=$chunk
  done
  printf '%s' "${out:0:n}"
}

# hex STRING : its bytes in hex, so that any password reaches SQL without quoting.
hex() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }

# user_create NAME PASSWORD : inserts the user; false when the name is taken.
user_create() {
  local name=$1 password=$2 id
  id=$(users_psql -At -v name="$name" <<SQL
\\set pwhex '$(hex "$password")'
INSERT INTO users (name, password_hash)
VALUES (:'name', crypt(convert_from(decode(:'pwhex', 'hex'), 'UTF8'), gen_salt('bf', 10)))
ON CONFLICT (name) DO NOTHING RETURNING id;
SQL
  ) || die "could not create user '$name'"
  [[ -n $id ]]
}

user_exists() {
  local found
  found=$(users_psql -At -v name="$1" <<<"SELECT 1 FROM users WHERE name = :'name';") ||
    die "could not read the users"
  [[ $found == 1 ]]
}

user_add() {
  local name='' from_stdin=0 password generated=0
  while (($#)); do
    case $1 in
      --password-stdin) from_stdin=1 ;;
      -*) die "unknown option '$1' for 'user add': see $PROG user --help" ;;
      *) [[ -z $name ]] || die "'user add' takes one NAME, got '$name' and '$1'"; name=$1 ;;
    esac
    shift
  done
  [[ -n $name ]] || die "usage: $PROG user add NAME [--password-stdin]"
  user_check_name "$name"
  if ((from_stdin)); then
    IFS= read -r password || [[ -n ${password:-} ]] || die "--password-stdin: no password on stdin"
    password=${password%$'\r'}
    local bytes
    bytes=$(printf '%s' "$password" | wc -c)
    ((${#password} >= USER_MIN_PASSWORD)) || die "password refused: at least $USER_MIN_PASSWORD characters (got ${#password})"
    ((bytes <= USER_MAX_PASSWORD)) || die "password refused: at most $USER_MAX_PASSWORD bytes (bcrypt ignores the rest)"
  else
    password=$(random_base62 20)
    generated=1
  fi
  users_db_ready
  user_create "$name" "$password" || die "user '$name' already exists ($PROG user list)"
  if ((generated)); then
    ok "user $name created; its password (shown once, store it now):"
    printf '%s\n' "$password"
  else
    ok "user $name created"
  fi
  note "HTTP Basic: curl -u $name:PASSWORD ...   an API key: $PROG user key $name"
}

user_list() {
  (($# == 0)) || die "'user list' takes no arguments"
  users_db_ready
  users_psql -P footer=off <<'SQL' || die "could not list the users"
SELECT u.name,
       CASE WHEN u.enabled THEN 'yes' ELSE 'no' END AS enabled,
       to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS"Z"') AS created,
       count(k.id) FILTER (WHERE k.revoked_at IS NULL) AS active_keys
FROM users u LEFT JOIN api_keys k ON k.user_id = u.id
GROUP BY u.id ORDER BY u.name;
SQL
}

# The keys of one user: prefix, label, created, revoked (never a hash).
user_keys() {
  (($# == 1)) || die "usage: $PROG user keys NAME"
  user_check_name "$1"
  users_db_ready
  user_exists "$1" || die "no user '$1' ($PROG user list)"
  users_psql -P footer=off -v name="$1" <<'SQL' || die "could not list the keys of '$1'"
SELECT k.prefix, k.label,
       to_char(k.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS"Z"') AS created,
       coalesce(to_char(k.revoked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS"Z"'), '') AS revoked
FROM api_keys k JOIN users u ON u.id = k.user_id
WHERE u.name = :'name' ORDER BY k.created_at, k.id;
SQL
}

user_key() {
  local name='' label=''
  while (($#)); do
    case $1 in
      --label) (($# >= 2)) || die "--label needs a TEXT"; label=$2; shift ;;
      --label=*) label=${1#--label=} ;;
      -*) die "unknown option '$1' for 'user key': see $PROG user --help" ;;
      *) [[ -z $name ]] || die "'user key' takes one NAME, got '$name' and '$1'"; name=$1 ;;
    esac
    shift
  done
  [[ -n $name ]] || die "usage: $PROG user key NAME [--label TEXT]"
  user_check_name "$name"
  ((${#label} <= 100)) || die "--label: at most 100 characters (got ${#label})"
  users_db_ready
  local key created
  key=pt_$(random_base62 40)
  created=$(users_psql -At -v name="$name" -v label="$label" <<SQL
\\set key '$key'
INSERT INTO api_keys (user_id, prefix, key_hash, label)
SELECT id, left(:'key', $API_KEY_PREFIX_LENGTH), encode(digest(:'key', 'sha256'), 'hex'), :'label'
FROM users WHERE name = :'name'
RETURNING prefix;
SQL
  ) || die "could not create a key for '$name'"
  [[ -n $created ]] || die "no user '$name' ($PROG user list)"
  ok "API key $created... for $name created (shown once, store it now; send it as the header X-Api-Key):"
  printf '%s\n' "$key"
  note "revoke it with: $PROG user revoke-key $created"
}

user_revoke_key() {
  (($# == 1)) || die "usage: $PROG user revoke-key PREFIX   (the prefix '$PROG user keys NAME' shows)"
  local prefix=$1 result
  [[ $prefix =~ ^[A-Za-z0-9_]{4,16}$ ]] || die "invalid key prefix '$prefix': expected e.g. pt_a1B2c3d (see $PROG user keys NAME)"
  users_db_ready
  result=$(users_psql -At -v prefix="$prefix" <<'SQL'
WITH m AS (SELECT id FROM api_keys WHERE prefix = :'prefix' AND revoked_at IS NULL),
     r AS (UPDATE api_keys k SET revoked_at = now()
           WHERE k.id IN (SELECT id FROM m) AND (SELECT count(*) FROM m) = 1
           RETURNING k.user_id)
SELECT (SELECT count(*) FROM m) || ' ' || coalesce((SELECT u.name FROM r JOIN users u ON u.id = r.user_id), '');
SQL
  ) || die "could not revoke the key $prefix"
  case $result in
    '0 ') die "no active key with prefix '$prefix' ($PROG user keys NAME lists them)" ;;
    '1 '?*) ok "key $prefix revoked (user ${result#1 }); requests with it are refused from now on" ;;
    *) die "${result%% *} active keys share the prefix '$prefix': none revoked; revoke by its full prefix" ;;
  esac
}

# user_set_enabled true|false NAME
user_set_enabled() {
  local enabled=$1 verb=enable
  [[ $enabled == true ]] || verb=disable
  shift
  (($# == 1)) || die "usage: $PROG user $verb NAME"
  user_check_name "$1"
  users_db_ready
  local id
  id=$(users_psql -At -v name="$1" -v enabled="$enabled" <<'SQL'
UPDATE users SET enabled = :'enabled'::boolean WHERE name = :'name' RETURNING id;
SQL
  ) || die "could not $verb user '$1'"
  [[ -n $id ]] || die "no user '$1' ($PROG user list)"
  if [[ $enabled == true ]]; then
    ok "user $1 enabled"
  else
    ok "user $1 disabled: its password and keys are refused from now on (kept; '$PROG user enable $1' restores them)"
  fi
}

# after= of the part 'api' (ops/lib/parts.sh): once the API is healthy (migrations applied), the
# demo user $PAPERTAPE_DEMO_USER exists; its password is printed once, when it is created.
api_after() {
  local name=$PAPERTAPE_DEMO_USER password
  [[ -n $name ]] || return 0
  [[ $name =~ $USER_NAME_RE ]] ||
    die "setting PAPERTAPE_DEMO_USER='$name' is invalid: expected a user name (a lower-case letter, then up to 63 of a-z 0-9 . _ -) or empty for no demo user"
  users_db_ready
  if user_exists "$name"; then
    ok "demo user: $name exists (its password was shown when it was created; $PROG user add NAME for more)"
    return 0
  fi
  password=$(random_base62 20)
  if user_create "$name" "$password"; then
    ok "demo user: $name / $password (shown once; $PROG user add NAME for more)"
  else
    ok "demo user: $name exists ($PROG user add NAME for more)"
  fi
}
