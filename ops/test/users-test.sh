#!/usr/bin/env bash
# './papertape user ...' and the demo user of 'up' (ops/lib/users.sh), tested against a
# PostgreSQL + TimescaleDB cluster of its own (a throwaway PAPERTAPE_HOME under /var/tmp, a free
# port, the project's migrations applied as the application role, as Flyway does): users created
# with a given and a generated password, refusals, keys stored as prefix + SHA-256 only, revocation,
# disable/enable, and the demo user's password printed once. Never touches the stack's own data.
# Run: bash ops/test/users-test.sh  (needs './papertape install' done; about 10 s)
# shellcheck source-path=SCRIPTDIR/../..
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
for lib in common settings service logs install supervise postgres users; do
  # shellcheck source=/dev/null
  source "$ROOT/ops/lib/$lib.sh"
done

HOME_DIR=$(mktemp -d /var/tmp/papertape-users-test.XXXXXXXXXX)
chmod 755 "$HOME_DIR"
PAPERTAPE_DB_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export PAPERTAPE_HOME=$HOME_DIR PAPERTAPE_DB_PORT PAPERTAPE_BIND_ADDRESS=127.0.0.1
export PAPERTAPE_DB_HOST=127.0.0.1 PAPERTAPE_DB_NAME=papertape_users_test PAPERTAPE_DB_USER=papertape
export PAPERTAPE_DB_PASSWORD=users-test-$RANDOM$RANDOM PAPERTAPE_DEMO_USER=demo
load_settings

cleanup() {
  use_cluster main
  pgc_stop >/dev/null 2>&1 || true
  rm -rf "$HOME_DIR"
}
trap cleanup EXIT

fail() {
  bad "users test: $*"
  exit 1
}

# pt ARGS... : ./papertape with this test's settings; its stdout+stderr in OUT, exit code in RC.
pt() {
  RC=0
  OUT=$("$ROOT/papertape" "$@" 2>&1) || RC=$?
}
pt_in() {
  local input=$1
  shift
  RC=0
  OUT=$(printf '%s' "$input" | "$ROOT/papertape" "$@" 2>&1) || RC=$?
}
expect_ok() { ((RC == 0)) || fail "expected success of: $1; exit $RC: $OUT"; }
expect_fail() {
  ((RC != 0)) || fail "expected a refusal of: $1; got: $OUT"
  [[ $OUT == *"$2"* ]] || fail "expected '$2' in the refusal of $1; got: $OUT"
}
sql() { users_psql -At -c "$1"; }
# listed NAME ENABLED KEYS : 'user list' (in OUT) has this row
listed() { grep -Eq "^ *$1 +\| $2 +\| [0-9-]{10} [0-9:]{8}Z +\| +$3\$" <<<"$OUT"; }

pt user list
expect_fail "user list without a database" "database is not running"

use_cluster main
pg_bin
pgc_start >/dev/null
pt user list
expect_fail "user list before the migrations" "no users table yet"
for m in "$ROOT"/sql/migrations/V*.sql; do
  users_psql -f "$m" >/dev/null || fail "migration $(basename "$m")"
done

# add, with a password from stdin and with a generated one
pt_in $'s3cret-password\n' user add alice --password-stdin
expect_ok "user add --password-stdin"
[[ $(sql "select crypt('s3cret-password', password_hash) = password_hash and password_hash like '\$2a\$10\$%' from users where name = 'alice'") == t ]] ||
  fail "alice's hash does not verify as bcrypt \$2a\$ cost 10"
pt user add bob
expect_ok "user add (generated password)"
bob_pw=$(printf '%s\n' "$OUT" | sed -n 2p)
[[ $bob_pw =~ ^[A-Za-z0-9]{20}$ ]] || fail "expected a 20-character base62 password on line 2, got: $OUT"
[[ $(sql "select crypt('$bob_pw', password_hash) = password_hash from users where name = 'bob'") == t ]] ||
  fail "bob's printed password does not match the stored hash"

pt user add alice
expect_fail "a second alice" "already exists"
pt user add Alice
expect_fail "an upper-case name" "invalid user name"
pt user add "a'b"
expect_fail "a quote in a name" "invalid user name"
pt_in $'short\n' user add carol --password-stdin
expect_fail "a short password" "at least 8"
pt_in '' user add carol --password-stdin
expect_fail "no password" "no password"
pt_in "$(printf 'x%.0s' {1..73})" user add carol --password-stdin
expect_fail "a 73-byte password" "at most 72 bytes"
pt_in $'it\'s "quoted" \\ and $(not run)\n' user add carol --password-stdin
expect_ok "a password with quotes, backslash and \$( )"
[[ $(sql "select crypt(\$\$it's \"quoted\" \\ and \$(not run)\$\$, password_hash) = password_hash from users where name = 'carol'") == t ]] ||
  fail "carol's password did not arrive byte for byte"

# keys
pt user key alice --label 'laptop'
expect_ok "user key"
key=$(printf '%s\n' "$OUT" | sed -n 2p)
[[ $key =~ ^pt_[A-Za-z0-9]{40}$ ]] || fail "expected a key on line 2, got: $OUT"
[[ $(sql "select count(*) from api_keys where prefix = '${key:0:10}' and label = 'laptop' and key_hash = encode(digest('$key', 'sha256'), 'hex')") == 1 ]] ||
  fail "the key is not stored as prefix + sha256"
[[ $(sql "select count(*) from api_keys where key_hash like '%${key:10}%' or prefix = '$key'") == 0 ]] ||
  fail "the key itself is stored"
pt user key nobody
expect_fail "a key for nobody" "no user 'nobody'"
pt user list
expect_ok "user list"
{ listed alice yes 1 && listed bob yes 0; } || fail "user list: $OUT"
[[ $OUT != *"\$2a\$"* ]] || fail "user list shows a hash"
pt user keys alice
[[ $OUT == *"${key:0:10}"*laptop* && $OUT != *"$key"* ]] || fail "user keys: $OUT"

pt user revoke-key "${key:0:10}"
expect_ok "revoke-key"
[[ $(sql "select revoked_at is not null from api_keys where prefix = '${key:0:10}'") == t ]] || fail "not revoked"
pt user revoke-key "${key:0:10}"
expect_fail "revoking twice" "no active key"
pt user list
listed alice yes 0 || fail "the revoked key still counts: $OUT"

# disable / enable
pt user disable bob
expect_ok "disable"
[[ $(sql "select enabled from users where name = 'bob'") == f ]] || fail "bob still enabled"
pt user enable bob
expect_ok "enable"
[[ $(sql "select enabled from users where name = 'bob'") == t ]] || fail "bob still disabled"
pt user disable nobody
expect_fail "disable nobody" "no user 'nobody'"

# the demo user of 'up': password printed at creation only
out=$(api_after)
[[ $out =~ demo\ user:\ demo\ /\ [A-Za-z0-9]{20}\ \(shown\ once ]] || fail "first up: $out"
demo_pw=${out#*demo / }
demo_pw=${demo_pw%% *}
[[ $(sql "select crypt('$demo_pw', password_hash) = password_hash from users where name = 'demo'") == t ]] ||
  fail "the demo password printed does not match"
out=$(api_after)
[[ $out == *"demo user: demo exists"* && $out != *"$demo_pw"* ]] || fail "second up: $out"
out=$(PAPERTAPE_DEMO_USER='' api_after)
[[ -z $out ]] || fail "an empty PAPERTAPE_DEMO_USER still did something: $out"

ok "users test passed: add (stdin, generated, refusals), list, keys, key, revoke-key, disable/enable, demo user"
