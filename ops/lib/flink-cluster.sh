# shellcheck shell=bash
# Flink as a session cluster of separate processes: ./papertape up --flink cluster.
#
# The default (embedded) runs every job in one embedded Flink, the part 'flink'. In cluster mode
# the parts flink-jobmanager, flink-taskmanager-1 and flink-taskmanager-2 take its place: Flink's
# own entrypoints (StandaloneSessionClusterEntrypoint, TaskManagerRunner) on the Maven Central
# artifacts (flink-jobs/target/flink-cluster-classpath.txt, the provided scope of flink-jobs), one
# config.yaml (Flink 2.x) written by dev.papertape.flink.local.ClusterConfig into
# PAPERTAPE_HOME/flink-cluster/conf; once the second TaskManager is registered, each job of
# PAPERTAPE_FLINK_JOBS is submitted with Flink's CLI (CliFrontend run -d) from its newest savepoint
# or retained checkpoint; 'down' stops each job with a savepoint (CliFrontend stop --savepointPath)
# before the processes. 'up' records the mode in RUN/flink-mode, so status, logs and down see the
# same parts.

FLINK_CLUSTER_CP_FILE=$ROOT/flink-jobs/target/flink-cluster-classpath.txt
FLINK_CLUSTER_TOOL=dev.papertape.flink.local.ClusterConfig
FLINK_CLUSTER_JM_MAIN=org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
FLINK_CLUSTER_TM_MAIN=org.apache.flink.runtime.taskexecutor.TaskManagerRunner
FLINK_CLUSTER_CLI_MAIN=org.apache.flink.client.cli.CliFrontend
FLINK_EMBEDDED_PARTS=(flink)
FLINK_CLUSTER_PARTS=(flink-jobmanager flink-taskmanager-1 flink-taskmanager-2)
FLINK_MODE=embedded

# The settings of cluster mode (after load_settings, so .env applies).
flink_cluster_settings() {
  : "${PAPERTAPE_FLINK_RPC_PORT:=6123}"
  : "${PAPERTAPE_FLINK_TASK_SLOTS:=2}"
  : "${PAPERTAPE_FLINK_JM_MEMORY:=1g}"
  : "${PAPERTAPE_FLINK_TM_MEMORY:=1536m}"
  # the parts declare two TaskManagers
  PAPERTAPE_FLINK_TASK_MANAGERS=2
  export PAPERTAPE_FLINK_RPC_PORT PAPERTAPE_FLINK_TASK_SLOTS PAPERTAPE_FLINK_JM_MEMORY \
    PAPERTAPE_FLINK_TM_MEMORY PAPERTAPE_FLINK_TASK_MANAGERS
  FLINK_CLUSTER_DIR=$PAPERTAPE_HOME/flink-cluster
  FLINK_CLUSTER_CONF=$FLINK_CLUSTER_DIR/conf
  FLINK_REST=$LOCAL_ADDRESS:$PAPERTAPE_FLINK_UI_PORT
  # ClusterConfig: TaskManager N serves Prometheus on PAPERTAPE_FLINK_PROMETHEUS_PORT + N
  # shellcheck disable=SC2034 # in the where= of the TaskManager parts (ops/lib/parts.sh)
  FLINK_TM1_PROMETHEUS_PORT=$((PAPERTAPE_FLINK_PROMETHEUS_PORT + 1))
  # shellcheck disable=SC2034
  FLINK_TM2_PROMETHEUS_PORT=$((PAPERTAPE_FLINK_PROMETHEUS_PORT + 2))
}

# flink_mode_select MODE : PARTS keeps the Flink parts of that mode only.
flink_mode_select() {
  local mode=$1 drop=() keep=() p
  case $mode in
    embedded) drop=("${FLINK_CLUSTER_PARTS[@]}") ;;
    cluster) drop=("${FLINK_EMBEDDED_PARTS[@]}") ;;
    *) die "--flink '$mode' is not a mode; accepted: embedded (the default: every job in one embedded Flink), cluster (a JobManager and two TaskManagers, jobs submitted with Flink's CLI)" ;;
  esac
  for p in "${PARTS[@]}"; do
    if [[ " ${drop[*]} " != *" $p "* ]]; then keep+=("$p"); fi
  done
  PARTS=("${keep[@]}")
  FLINK_MODE=$mode
  flink_cluster_settings
}

# The mode 'up' recorded (empty when none).
flink_mode_recorded() {
  if [[ -f $RUN/flink-mode ]]; then cat "$RUN/flink-mode"; fi
}

# For status, logs and down: the parts of the mode the stack was started in (default embedded).
flink_mode_load() {
  local m
  m=$(flink_mode_recorded)
  flink_mode_select "${m:-embedded}"
}

# flink_mode_up MODE|'' : for 'up': the mode asked for (else the recorded one, else embedded);
# refuses to switch while the stack runs in the other mode; records it.
flink_mode_up() {
  local want=$1 recorded
  if [[ -n $want && $want != embedded && $want != cluster ]]; then flink_mode_select "$want"; fi
  recorded=$(flink_mode_recorded)
  if [[ -n $want && -n $recorded && $want != "$recorded" ]] && sup_running; then
    die "the stack runs Flink in $recorded mode; stop it first ($PROG down), then $PROG up --flink $want"
  fi
  flink_mode_select "${want:-${recorded:-embedded}}"
  mkdir -p "$RUN"
  printf '%s\n' "$FLINK_MODE" >"$RUN/flink-mode"
}

# Forgets the mode once everything is stopped ('down').
flink_mode_forget() { rm -f "$RUN/flink-mode"; }

# The cluster tool (ClusterConfig) as the caller, on the embedded runner's classpath (it copies the
# Prometheus reporter's jar from it): writes the configuration, finds recovery points.
flink_cluster_tool() {
  resolve_java
  "$JAVA" -cp "$FLINK_JAR:$(cat "$FLINK_CP_FILE")" "$FLINK_CLUSTER_TOOL" "$@" \
    2>&1 >/dev/null | log_append "$LOGS/flink-cluster-tool.log"
  return "${PIPESTATUS[0]}"
}

# Writes config.yaml and the process options into FLINK_CLUSTER_CONF, and the Prometheus reporter
# (bound to PAPERTAPE_BIND_ADDRESS) as a plugin into FLINK_CLUSTER_DIR/plugins.
flink_cluster_write_conf() {
  mkdir -p "$FLINK_CLUSTER_CONF" "$LOGS"
  flink_cluster_tool write "$FLINK_CLUSTER_CONF" "$FLINK_JAR" || {
    tail_log "$LOGS/flink-cluster-tool.log"
    die "could not write the Flink cluster's configuration (the settings above are checked by $FLINK_CLUSTER_TOOL; its log: $(rel "$LOGS/flink-cluster-tool.log"))"
  }
}

# flink_cluster_java NAME JVM_FILE ARGS_FILE MAIN : PART_CMD for one Flink process.
flink_cluster_java() {
  local name=$1 jvm=() args=()
  java_opts
  resolve_java
  flink_opens
  mapfile -t jvm <"$FLINK_CLUSTER_CONF/$2"
  mapfile -t args <"$FLINK_CLUSTER_CONF/$3"
  # ClusterConfig.tmpDir (io.tmp.dirs): made by the user the process runs as, before it starts
  mkdir -p "$PAPERTAPE_FLINK_STATE_DIR"
  as_service mkdir -p "$PAPERTAPE_FLINK_STATE_DIR/tmp"
  service_classpath flink-cluster "$(cat "$FLINK_CLUSTER_CP_FILE")"
  service_paths flink-config "$FLINK_LOG4J"
  # PAPERTAPE_JAVA_OPTS first: the memory options Flink derived from config.yaml win
  # shellcheck disable=SC2034 # run by start_part (ops/lib/supervise.sh)
  PART_CMD=(env FLINK_PLUGINS_DIR="$FLINK_CLUSTER_DIR/plugins" "$JAVA" "${JAVA_OPTS[@]}" "${jvm[@]}" "${FLINK_OPENS[@]}"
    -Dlog4j2.configurationFile="${SERVICE_PATHS[0]}" -Dpapertape.part="$name"
    -cp "$SERVICE_CLASSPATH" "$4" "${args[@]}")
}

flink_jobmanager_command() {
  flink_cluster_write_conf
  flink_cluster_java flink-jobmanager jobmanager.jvm jobmanager.args "$FLINK_CLUSTER_JM_MAIN"
}

flink_taskmanager_1_command() {
  flink_cluster_java flink-taskmanager-1 taskmanager.jvm taskmanager-1.args "$FLINK_CLUSTER_TM_MAIN"
}

flink_taskmanager_2_command() {
  flink_cluster_java flink-taskmanager-2 taskmanager.jvm taskmanager-2.args "$FLINK_CLUSTER_TM_MAIN"
}

# flink_rest PATH : GET of the JobManager's REST API (fails when it does not answer 2xx).
flink_rest() { curl -fsS --max-time 5 "http://$FLINK_REST$1" 2>/dev/null; }

# flink_tm_registered N : TaskManager N (resource id taskmanager-N) is registered with the JobManager.
flink_tm_registered() {
  flink_rest /taskmanagers | python3 -c '
import json, sys
ids = [tm["id"] for tm in json.load(sys.stdin).get("taskmanagers", [])]
sys.exit(0 if sys.argv[1] in ids else 1)' "taskmanager-$1" 2>/dev/null
}
flink_taskmanager_1_registered() { flink_tm_registered 1; }
flink_taskmanager_2_registered() { flink_tm_registered 2; }

# The cluster's jobs, one a line: ID<TAB>NAME<TAB>STATE (empty when the JobManager does not answer).
flink_cluster_jobs() {
  flink_rest /jobs/overview | python3 -c '
import json, sys
for j in json.load(sys.stdin).get("jobs", []):
    print(j["jid"], j["name"], j["state"], sep="\t")' 2>/dev/null || true
}

# flink_cli ARGS... : Flink's CLI frontend against this cluster, as the service user; ended after
# 150 s (a stop-with-savepoint of a healthy job takes seconds).
flink_cli() {
  resolve_java
  flink_opens
  service_classpath flink-cluster "$(cat "$FLINK_CLUSTER_CP_FILE")"
  service_paths flink-config "$FLINK_LOG4J"
  as_service timeout 150 env FLINK_CONF_DIR="$FLINK_CLUSTER_CONF" "$JAVA" -Xmx256m "${FLINK_OPENS[@]}" \
    -Dlog4j2.configurationFile="${SERVICE_PATHS[0]}" -cp "$SERVICE_CLASSPATH" "$FLINK_CLUSTER_CLI_MAIN" "$@"
}

# The after= hook of the last TaskManager: submits every job of PAPERTAPE_FLINK_JOBS that is not
# already running, from its newest savepoint or retained checkpoint, and waits until it RUNS.
flink_cluster_submit() {
  local label name main savepoints id state from out log=$LOGS/flink-cli.log opts=() jobs start jar
  [[ -f $FLINK_CLUSTER_CONF/jobs.tsv ]] || die "no $(rel "$FLINK_CLUSTER_CONF")/jobs.tsv: restart flink-jobmanager ($PROG down; $PROG up --flink cluster)"
  jobs=$(flink_cluster_jobs)
  # the jar as the service user reads it (a copy when it cannot read it where it is)
  service_paths flink-jobs-jar "$FLINK_JAR"
  jar=${SERVICE_PATHS[0]}
  while IFS=$'\t' read -r label name main savepoints; do
    state=$(awk -F'\t' -v n="$name" '$2 == n && $3 !~ /^(FINISHED|CANCELED|FAILED)$/ {print $1 " " $3; exit}' <<<"$jobs")
    if [[ -n $state ]]; then
      ok "flink job $label already on the cluster: ${state#* } (job ${state%% *})"
      continue
    fi
    flink_cluster_tool recovery-point "$label" "$FLINK_CLUSTER_DIR/$label.from" ||
      die "could not look for a recovery point of job $label (log: $(rel "$LOGS/flink-cluster-tool.log"))"
    from=$(cat "$FLINK_CLUSTER_DIR/$label.from")
    mapfile -t opts <"$FLINK_CLUSTER_CONF/job-$label.args"
    if [[ -n $from ]]; then opts+=(-s "$from"); fi
    note "submitting flink job $label ($main)${from:+ from $from} ..."
    out=$(flink_cli run -d -m "$FLINK_REST" -c "$main" "${opts[@]}" "$jar" 2>&1) || {
      printf '%s\n' "$out" | log_append "$log"
      printf '%s\n' "$out" | tail -n 30 >&2
      die "flink run of job $label failed (output above, in $(rel "$log")); the cluster keeps running: fix it and run $PROG up --flink cluster again"
    }
    printf '%s\n' "$out" | log_append "$log"
    id=$(grep -oE 'JobID [0-9a-f]{32}' <<<"$out" | head -n 1 | cut -d' ' -f2)
    [[ -n $id ]] || die "flink run of job $label printed no JobID (its output is in $(rel "$log"))"
    start=$(now)
    while :; do
      state=$(flink_rest "/jobs/$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])' 2>/dev/null || true)
      [[ $state == RUNNING ]] && break
      if [[ $state =~ ^(FAILED|CANCELED|FINISHED)$ ]] || (($(now) - start > 120)); then
        die "flink job $label ($id) is ${state:-not known to the JobManager}, not RUNNING; see $PROG logs flink-jobmanager and http://$FLINK_REST/#/job/$id"
      fi
      sleep 1
    done
    ok "flink job $label running: job $id${from:+ (resumed from $from)}"
  done <"$FLINK_CLUSTER_CONF/jobs.tsv"
}

# The before_stop= hook of the cluster parts: every job still running stops with a savepoint in its
# own directory (else it is cancelled: the next start resumes from its last retained checkpoint).
# A no-op once the jobs are stopped, so each cluster part can carry it.
flink_cluster_stop_jobs() {
  local id name state label savepoints out log=$LOGS/flink-cli.log
  [[ -f $FLINK_CLUSTER_CONF/jobs.tsv ]] || return 0
  while IFS=$'\t' read -r id name state; do
    [[ $state =~ ^(RUNNING|RESTARTING|CREATED|INITIALIZING)$ ]] || continue
    savepoints=$(awk -F'\t' -v n="$name" '$2 == n {print $4; exit}' "$FLINK_CLUSTER_CONF/jobs.tsv")
    label=$(awk -F'\t' -v n="$name" '$2 == n {print $1; exit}' "$FLINK_CLUSTER_CONF/jobs.tsv")
    if [[ -z $savepoints ]]; then
      note "flink job $name ($id) is not one of PAPERTAPE_FLINK_JOBS: left running"
      continue
    fi
    out=$(flink_cli stop --savepointPath "$savepoints" -m "$FLINK_REST" "$id" 2>&1) && {
      printf '%s\n' "$out" | log_append "$log"
      ok "flink job $label stopped with savepoint $(grep -oE 'Path: \S+' <<<"$out" | cut -d' ' -f2)"
      continue
    }
    printf '%s\n' "$out" | log_append "$log"
    bad "flink job $label: stop-with-savepoint failed (see $(rel "$log")); cancelling: the next start resumes from its last checkpoint"
    flink_cli cancel -m "$FLINK_REST" "$id" 2>&1 | log_append "$log" || true
  done < <(flink_cluster_jobs)
}

# For 'status' and 'up' in cluster mode: the jobs on the cluster.
flink_cluster_print_jobs() {
  local id name state any=0
  [[ $FLINK_MODE == cluster ]] || return 0
  printf '\nFlink jobs on the cluster (http://%s):\n' "$FLINK_REST"
  while IFS=$'\t' read -r id name state; do
    printf '  %-28s %-12s %s\n' "$name" "$state" "$id"
    any=1
  done < <(flink_cluster_jobs)
  ((any)) || printf '  (none, or the JobManager does not answer)\n'
}
