#!/usr/bin/env bash
# The one-shot submitter of docker compose: submits the metrics job and the signals job to the
# session cluster's JobManager with Flink's own client (`flink run -d`), each once.
#   - a job already running is left alone (so `docker compose up` again changes nothing);
#   - otherwise it resumes from the newest of: its savepoints in /flink-state/savepoints/<job>/
#     (taken with `flink stop --savepointPath /flink-state/savepoints/<job> <jobId>`) and the retained
#     checkpoints of its previous run (recorded in /flink-state/jobs/<job>.id), as `./papertape up`
#     resumes the embedded jobs; with neither it starts with fresh state.
# The jobs read their PAPERTAPE_* settings from this container's environment (the client runs their
# main(), which also creates the topics).
set -euo pipefail

JAR=/opt/flink/usrlib/papertape-flink-jobs.jar
JOBMANAGER=${FLINK_JOBMANAGER:-jobmanager:8081}
STATE=${FLINK_STATE:-/flink-state}

running() {
  flink list -r -m "$JOBMANAGER" 2>/dev/null | grep -Fq " : $1 ("
}

# The newest complete snapshot (a directory with _metadata) of a job: savepoint or checkpoint.
newest_snapshot() {
  local name=$1 dirs=() id
  [[ -d $STATE/savepoints/$name ]] && dirs+=("$STATE/savepoints/$name")
  if [[ -f $STATE/jobs/$name.id ]]; then
    id=$(<"$STATE/jobs/$name.id")
    [[ -d $STATE/checkpoints/$id ]] && dirs+=("$STATE/checkpoints/$id")
  fi
  ((${#dirs[@]})) || return 0
  find "${dirs[@]}" -mindepth 2 -maxdepth 2 -type f -name _metadata -printf '%T@ %h\n' |
    sort -n | tail -n 1 | cut -d' ' -f2-
}

submit() {
  local name=$1 main=$2 from out id
  if running "$name"; then
    echo "job $name is already running on $JOBMANAGER: left alone"
    return 0
  fi
  from=$(newest_snapshot "$name")
  if [[ -n $from ]]; then
    echo "submitting $name ($main), resuming from $from"
    out=$(flink run -d -m "$JOBMANAGER" -s "$from" -c "$main" "$JAR")
  else
    echo "submitting $name ($main) with fresh state"
    out=$(flink run -d -m "$JOBMANAGER" -c "$main" "$JAR")
  fi
  echo "$out"
  id=$(sed -n 's/.*submitted with JobID \([0-9a-f]\{32\}\).*/\1/p' <<<"$out" | tail -n 1)
  [[ -n $id ]] || {
    echo "could not read the JobID of $name from the client's output (above)" >&2
    return 1
  }
  mkdir -p "$STATE/jobs"
  echo "$id" >"$STATE/jobs/$name.id"
}

submit papertape-market-metrics dev.papertape.flink.metrics.MarketMetricsJob
submit papertape-signals dev.papertape.flink.signals.SignalsJob
