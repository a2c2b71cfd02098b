# shellcheck shell=bash
# shellcheck disable=SC2016 # '$PAPERTAPE_…' in about= is printed as written; {VARIABLE} is filled in
# shellcheck disable=SC2034 # PART_CMD is run by start_part (ops/lib/supervise.sh)
# The parts of the local stack: one 'part' entry each, in start order ('down' stops them in
# reverse). up, down, status, logs and the help derive everything from these entries.
#
#   command=FUNC       prepares what the part needs and sets PART_CMD, the command that runs it in
#                      the foreground (supervisord runs it: ops/lib/supervise.sh)
#   after=FUNC         run by 'up' once the part is healthy (postgres: roles and database; api:
#                      the demo user, ops/lib/users.sh)
#   ports=VAR,...      the settings holding its ports: each must be free before it starts
#   health=CHECK       readiness: http://... (healthy when GET answers 2xx) or a function; 'up' waits
#                      for it; health_label= names it in 'status' (default for a URL: GET /path)
#   live=CHECK         liveness, for the watcher (ops/lib/supervisor-watch.py): http://... or
#                      tcp:HOST:PORT; failing longer than PAPERTAPE_HEALTH_GRACE restarts the part
#   log=FILE           in LOGS (default NAME.log)
#   user=service|postgres  who it runs as when ./papertape runs as root (default service)
#   start_timeout=S    how long 'up' waits for health (default 60); stop_timeout=S stop_signal
#                      (default TERM) -> SIGKILL (30); start_secs=S up this long counts as started (5)
#   artifacts=VAR,...  the jars it needs ('up' builds them when missing or out of date)
#   where=TEXT         its address in 'status'; running=TEXT the same when already running (default where)
#   about=TEXT         its line in 'up --help'
#   before_stop=FUNC   run by 'down' before it stops the part (the cluster mode's jobs stop with a
#                      savepoint)
# Values may hold {VARIABLE}: filled in when used. supervisord's program entries are generated from
# these (ops/lib/supervise.sh).

API_JAR=$ROOT/query-api/target/papertape-query-api.jar
FLINK_JAR=$ROOT/flink-jobs/target/papertape-flink-jobs.jar
FLINK_CP_FILE=$ROOT/flink-jobs/target/local-classpath.txt
FEED_JAR=$ROOT/market-feed/target/papertape-market-feed.jar
FLINK_MAIN=dev.papertape.flink.local.LocalFlink
FLINK_LOG4J=$ROOT/ops/flink/log4j2.properties

part postgres command=postgres_command after=postgres_after user=postgres log=postgres.log \
  ports=PAPERTAPE_DB_PORT health=postgres_ready health_label=pg_isready \
  live='tcp:{LOCAL_ADDRESS}:{PAPERTAPE_DB_PORT}' start_timeout=30 stop_signal=INT stop_timeout=60 \
  where='{PAPERTAPE_BIND_ADDRESS}:{PAPERTAPE_DB_PORT} db={PAPERTAPE_DB_NAME} user={PAPERTAPE_DB_USER}' \
  about='project-local PostgreSQL + TimescaleDB on $PAPERTAPE_DB_PORT ({PAPERTAPE_DB_PORT}), data in {HOME_REL}/data/postgres'

part kafka command=kafka_command log=kafka.log \
  ports=PAPERTAPE_KAFKA_PORT,PAPERTAPE_KAFKA_CONTROLLER_PORT health=kafka_ok health_label=metadata \
  live='tcp:{LOCAL_ADDRESS}:{PAPERTAPE_KAFKA_PORT}' \
  start_timeout=60 stop_timeout=30 \
  where='{PAPERTAPE_BIND_ADDRESS}:{PAPERTAPE_KAFKA_PORT} as {PAPERTAPE_KAFKA_BOOTSTRAP} (controller 127.0.0.1:{PAPERTAPE_KAFKA_CONTROLLER_PORT})' \
  running='{PAPERTAPE_KAFKA_BOOTSTRAP}' \
  about='Kafka 4.2 KRaft single node on $PAPERTAPE_KAFKA_PORT ({PAPERTAPE_KAFKA_PORT})'

part api command=api_command after=api_after log=api.log artifacts=API_JAR \
  ports=PAPERTAPE_API_PORT health='http://{LOCAL_ADDRESS}:{PAPERTAPE_API_PORT}/healthz' \
  live='http://{LOCAL_ADDRESS}:{PAPERTAPE_API_PORT}/actuator/health/liveness' \
  start_timeout=120 stop_timeout=30 \
  where='http://{LOCAL_ADDRESS}:{PAPERTAPE_API_PORT} (health /healthz, docs /swagger-ui/index.html)' \
  about='query-api (applies the DB migrations) on $PAPERTAPE_API_PORT ({PAPERTAPE_API_PORT})'

part flink command=flink_command log=flink.log \
  artifacts=FLINK_JAR,FLINK_CP_FILE \
  ports=PAPERTAPE_FLINK_UI_PORT,PAPERTAPE_FLINK_HEALTH_PORT,PAPERTAPE_FLINK_PROMETHEUS_PORT \
  health='http://{LOCAL_ADDRESS}:{PAPERTAPE_FLINK_HEALTH_PORT}/healthz' start_timeout=120 stop_timeout=100 \
  live='http://{LOCAL_ADDRESS}:{PAPERTAPE_FLINK_HEALTH_PORT}/healthz' \
  where='http://{LOCAL_ADDRESS}:{PAPERTAPE_FLINK_UI_PORT} (web UI), :{PAPERTAPE_FLINK_HEALTH_PORT}/healthz, :{PAPERTAPE_FLINK_PROMETHEUS_PORT}/metrics' \
  about='Flink jobs (PAPERTAPE_FLINK_JOBS, default: metrics and signals), embedded, web UI $PAPERTAPE_FLINK_UI_PORT ({PAPERTAPE_FLINK_UI_PORT}), health $PAPERTAPE_FLINK_HEALTH_PORT ({PAPERTAPE_FLINK_HEALTH_PORT})'

# Cluster mode (./papertape up --flink cluster; ops/lib/flink-cluster.sh): these three instead of
# 'flink': Flink's own JobManager and two TaskManagers, each a process of its own; the jobs are
# submitted with Flink's CLI once the second TaskManager is registered, and stopped with a
# savepoint before any of them stops.
# shellcheck source=ops/lib/flink-cluster.sh
source "$ROOT/ops/lib/flink-cluster.sh"

part flink-jobmanager command=flink_jobmanager_command log=flink-jobmanager.log \
  artifacts=FLINK_JAR,FLINK_CP_FILE,FLINK_CLUSTER_CP_FILE before_stop=flink_cluster_stop_jobs \
  ports=PAPERTAPE_FLINK_UI_PORT,PAPERTAPE_FLINK_RPC_PORT,PAPERTAPE_FLINK_PROMETHEUS_PORT \
  health='http://{LOCAL_ADDRESS}:{PAPERTAPE_FLINK_UI_PORT}/overview' \
  live='http://{LOCAL_ADDRESS}:{PAPERTAPE_FLINK_UI_PORT}/overview' start_timeout=90 stop_timeout=30 \
  where='http://{LOCAL_ADDRESS}:{PAPERTAPE_FLINK_UI_PORT} (web UI, REST), RPC :{PAPERTAPE_FLINK_RPC_PORT}, :{PAPERTAPE_FLINK_PROMETHEUS_PORT}/metrics' \
  about='--flink cluster only: Flink JobManager, web UI and REST on $PAPERTAPE_FLINK_UI_PORT ({PAPERTAPE_FLINK_UI_PORT}), RPC on $PAPERTAPE_FLINK_RPC_PORT'

part flink-taskmanager-1 command=flink_taskmanager_1_command log=flink-taskmanager-1.log \
  artifacts=FLINK_CLUSTER_CP_FILE before_stop=flink_cluster_stop_jobs \
  health=flink_taskmanager_1_registered health_label='registered' \
  start_timeout=90 stop_timeout=30 \
  where='taskmanager-1: {PAPERTAPE_FLINK_TASK_SLOTS} slots, {PAPERTAPE_FLINK_TM_MEMORY}, :{FLINK_TM1_PROMETHEUS_PORT}/metrics' \
  about='--flink cluster only: Flink TaskManager 1 ($PAPERTAPE_FLINK_TASK_SLOTS slots, $PAPERTAPE_FLINK_TM_MEMORY)'

part flink-taskmanager-2 command=flink_taskmanager_2_command log=flink-taskmanager-2.log \
  artifacts=FLINK_CLUSTER_CP_FILE after=flink_cluster_submit before_stop=flink_cluster_stop_jobs \
  health=flink_taskmanager_2_registered health_label='registered' \
  start_timeout=90 stop_timeout=30 \
  where='taskmanager-2: {PAPERTAPE_FLINK_TASK_SLOTS} slots, {PAPERTAPE_FLINK_TM_MEMORY}, :{FLINK_TM2_PROMETHEUS_PORT}/metrics' \
  about='--flink cluster only: Flink TaskManager 2; once registered, the jobs of PAPERTAPE_FLINK_JOBS are submitted (flink run) from their newest savepoint or checkpoint'

part feed command=feed_command log=feed.log artifacts=FEED_JAR \
  ports=PAPERTAPE_FEED_PORT health='http://{LOCAL_ADDRESS}:{PAPERTAPE_FEED_PORT}/healthz' \
  live='http://{LOCAL_ADDRESS}:{PAPERTAPE_FEED_PORT}/healthz' \
  start_timeout=60 stop_timeout=30 \
  where='http://{LOCAL_ADDRESS}:{PAPERTAPE_FEED_PORT}/healthz' \
  about='market feed on $PAPERTAPE_FEED_PORT ({PAPERTAPE_FEED_PORT})'

# The commands of the Java application parts (kafka_command: ops/lib/kafka.sh; postgres_command:
# ops/lib/postgres.sh).
api_command() {
  java_opts
  resolve_java
  service_paths api "$API_JAR"
  PART_CMD=("$JAVA" "${JAVA_OPTS[@]}" -jar "${SERVICE_PATHS[0]}")
}

flink_command() {
  java_opts
  resolve_java
  flink_opens
  mkdir -p "$PAPERTAPE_FLINK_STATE_DIR"
  service_classpath flink "$FLINK_JAR:$(cat "$FLINK_CP_FILE")"
  service_paths flink-config "$FLINK_LOG4J"
  PART_CMD=("$JAVA" "${FLINK_OPENS[@]}" "${JAVA_OPTS[@]}" -Dlog4j2.configurationFile="${SERVICE_PATHS[0]}"
    -cp "$SERVICE_CLASSPATH" "$FLINK_MAIN")
}

feed_command() {
  java_opts
  resolve_java
  service_paths feed "$FEED_JAR"
  PART_CMD=("$JAVA" "${JAVA_OPTS[@]}" -jar "${SERVICE_PATHS[0]}")
}
