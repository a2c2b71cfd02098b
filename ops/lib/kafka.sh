# shellcheck shell=bash
# Kafka: KRaft, single node, a JVM of its own; jars from Maven Central via ops/kafka/pom.xml.

KAFKA_POM=$ROOT/ops/kafka/pom.xml
KAFKA_LOG4J=$ROOT/ops/kafka/log4j2.yaml

kafka_classpath() {
  local cp=$PAPERTAPE_HOME/kafka/classpath.txt
  mkdir -p "$PAPERTAPE_HOME/kafka"
  if [[ ! -s $cp || $KAFKA_POM -nt $cp ]]; then
    local log=$LOGS/kafka-classpath.log
    note "resolving the Kafka broker classpath (ops/kafka/pom.xml) ..."
    mvn_locked -q -f "$KAFKA_POM" dependency:build-classpath -Dmdep.outputFile="$cp" 2>&1 | log_append "$log" || {
      tail -n 30 "$log" >&2
      die "could not resolve the Kafka classpath from ops/kafka/pom.xml (Maven output above, in $(rel "$log"))"
    }
  fi
  KAFKA_CP=$(cat "$cp")
}

kafka_write_properties() {
  cat >"$PAPERTAPE_HOME/kafka/server.properties" <<EOF
# Written by ./papertape at every start from the PAPERTAPE_KAFKA_* settings: edit .env instead.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$PAPERTAPE_KAFKA_CONTROLLER_PORT
# Clients on PAPERTAPE_BIND_ADDRESS; the KRaft controller only on loopback (nothing else talks to it).
listeners=PLAINTEXT://$PAPERTAPE_BIND_ADDRESS:$PAPERTAPE_KAFKA_PORT,CONTROLLER://127.0.0.1:$PAPERTAPE_KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$PAPERTAPE_KAFKA_HOST:$PAPERTAPE_KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$PAPERTAPE_HOME/data/kafka
# Topics are created by the Papertape processes with their own settings.
auto.create.topics.enable=false
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
}

# Kafka's command line tools (as the caller: bench scripts); their log4j output goes to stderr.
kafka_java() {
  java -Dlog4j2.configurationFile="$KAFKA_LOG4J" -cp "$KAFKA_CP" "$@"
}

# KAFKA_SERVICE_JAVA: java with the broker's classpath and logging, as the service user reads them.
kafka_service_java() {
  resolve_java
  service_classpath kafka "$KAFKA_CP"
  service_paths kafka-config "$KAFKA_LOG4J"
  KAFKA_SERVICE_JAVA=("$JAVA" -Dlog4j2.configurationFile="${SERVICE_PATHS[0]}" -cp "$SERVICE_CLASSPATH")
}

# Formats the broker's storage once, as the user the broker runs as (it owns data/kafka).
kafka_format_once() {
  local data=$PAPERTAPE_HOME/data/kafka log cluster_id
  [[ -f $data/meta.properties ]] && return 0
  log=$(log_file kafka)
  mkdir -p "$data"
  cluster_id=$(kafka_java kafka.tools.StorageTool random-uuid 2> >(log_append "$log") | tail -n 1)
  [[ -n $cluster_id ]] || { tail_log "$log"; die "kafka: could not generate a cluster id"; }
  as_service "${KAFKA_SERVICE_JAVA[@]}" kafka.tools.StorageTool format -t "$cluster_id" \
    -c "$PAPERTAPE_HOME/kafka/server.properties" 2>&1 | log_append "$log" || {
    tail_log "$log"
    die "kafka: storage format failed in $(rel "$data")"
  }
  ok "kafka: formatted storage in $(rel "$data") (cluster id $cluster_id)"
}

# Health of the broker: it answers a metadata request.
kafka_ok() { kcat -b "$PAPERTAPE_KAFKA_HOST:$PAPERTAPE_KAFKA_PORT" -L -t __none -m 3 >/dev/null 2>&1; }

# The part 'kafka' (ops/lib/parts.sh): PART_CMD runs the broker (classpath resolved, configuration
# written and storage formatted first).
kafka_command() {
  kafka_classpath
  kafka_service_java
  kafka_write_properties
  kafka_format_once
  # shellcheck disable=SC2034 # run by start_part (ops/lib/supervise.sh)
  PART_CMD=("${KAFKA_SERVICE_JAVA[0]}" "-Xmx$PAPERTAPE_KAFKA_HEAP" -Xms256m "${KAFKA_SERVICE_JAVA[@]:1}"
    kafka.Kafka "$PAPERTAPE_HOME/kafka/server.properties")
}
