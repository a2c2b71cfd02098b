package dev.papertape.flink.local;

import dev.papertape.config.Durations;
import dev.papertape.config.Settings;
import dev.papertape.flink.metrics.MarketMetricsJob;
import dev.papertape.ops.BindAddress;
import dev.papertape.ops.HealthServer;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.clusterframework.ApplicationStatus;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the project's jobs ({@code PAPERTAPE_FLINK_JOBS}, see {@link LocalJob}) in one embedded
 * Flink (a MiniCluster with the Flink web UI), as {@code ./papertape up} does: each job's
 * checkpoints and savepoints in {@code PAPERTAPE_FLINK_STATE_DIR/<job>}, each resumed on the next
 * start from its newest checkpoint or savepoint; a stop-with-savepoint of every job on SIGTERM;
 * {@code /healthz} with one entry per job, 200 while every job is RUNNING; the process exits when
 * its cluster can no longer run the jobs (a job ended, the cluster shut itself down, or no
 * TaskManager for {@code PAPERTAPE_FLINK_LOST_TM_GRACE}), with status 70 unless a job finished, so
 * a supervisor restarts it from the latest checkpoint; Prometheus metrics of the job on {@code
 * PAPERTAPE_FLINK_PROMETHEUS_PORT}. Every listener (web UI and REST, health, Prometheus) binds
 * {@code PAPERTAPE_BIND_ADDRESS} (127.0.0.1 by default), and the web UI can neither submit jobs
 * (jars) nor cancel or rescale the running one.
 */
public final class LocalFlink {
  private static final Logger LOG = LoggerFactory.getLogger(LocalFlink.class);
  private static final Duration POLL = Duration.ofMillis(500);
  // the shutdown's waits: 95 s in all, within the supervisor's stop timeout (ops/lib/parts.sh)
  private static final Duration SAVEPOINT_WAIT = Duration.ofSeconds(60);
  private static final Duration CANCEL_WAIT = Duration.ofSeconds(20);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(15);

  private LocalFlink() {}

  /** Settings of the embedded cluster itself (each job reads its own). */
  record LocalConfig(
      InetAddress bindAddress,
      int uiPort,
      int healthPort,
      int prometheusPort,
      Path stateDir,
      List<LocalJob> jobs,
      int parallelism,
      Duration lostTaskManagerGrace) {
    static LocalConfig from(Settings s) {
      return new LocalConfig(
          BindAddress.from(s),
          s.integer("PAPERTAPE_FLINK_UI_PORT", 8081, 1, 65535),
          s.integer("PAPERTAPE_FLINK_HEALTH_PORT", 8083, 0, 65535),
          s.integer("PAPERTAPE_FLINK_PROMETHEUS_PORT", 9249, 1, 65535),
          Path.of(s.string("PAPERTAPE_FLINK_STATE_DIR", ".papertape/data/flink")).toAbsolutePath(),
          s.list(
              "PAPERTAPE_FLINK_JOBS",
              List.of(LocalJob.values()),
              LocalJob::parse,
              "a comma-separated subset of " + LocalJob.labels()),
          s.integer("PAPERTAPE_FLINK_PARALLELISM", 1, 1, 256),
          positive(s, "PAPERTAPE_FLINK_LOST_TM_GRACE", Duration.ofSeconds(15)));
    }

    private static Duration positive(Settings s, String name, Duration defaultValue) {
      Duration d = s.duration(name, defaultValue);
      if (d.isNegative() || d.isZero()) {
        throw new Settings.InvalidSettingException(
            name, s.string(name, ""), Durations.ACCEPTED + ", greater than 0");
      }
      return d;
    }

    /** Each job's checkpoints and savepoints live in a directory of its own. */
    Path jobDir(LocalJob job) {
      return stateDir.resolve(job.label());
    }

    Path checkpoints(LocalJob job) {
      return jobDir(job).resolve("checkpoints");
    }

    Path savepoints(LocalJob job) {
      return jobDir(job).resolve("savepoints");
    }

    /**
     * Where a job's recovery point may be: its own directories, and for the metrics job also the
     * layout before there were several jobs ({@code <state>/checkpoints}, {@code
     * <state>/savepoints}), so an existing installation resumes where it stopped.
     */
    List<Path> recoveryRoots(LocalJob job) {
      return job == LocalJob.METRICS
          ? List.of(savepoints(job), checkpoints(job), savepoints(), checkpoints())
          : List.of(savepoints(job), checkpoints(job));
    }

    /**
     * Where clients on this machine reach the listeners: loopback when bound to every interface.
     */
    String localHost() {
      return bindAddress.isAnyLocalAddress() ? BindAddress.DEFAULT : bindAddress.getHostAddress();
    }

    String uiUrl() {
      String h = localHost();
      return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + uiPort;
    }

    Path checkpoints() {
      return stateDir.resolve("checkpoints");
    }

    Path savepoints() {
      return stateDir.resolve("savepoints");
    }
  }

  /** {@code EX_SOFTWARE} of sysexits.h: the runner cannot go on; a restart can. */
  static final int EXIT_CANNOT_RUN = 70;

  public static void main(String[] args) throws Exception {
    Running r = start(MarketMetricsJob.settings(args));
    Runtime.getRuntime().addShutdownHook(new Thread(r::stop, "papertape-flink-shutdown"));
    // the runner lives as long as its cluster can run all its jobs
    Ended end = r.awaitEnd();
    if (r.stopping) {
      return; // SIGTERM: the shutdown hook stops the jobs with a savepoint and ends the process
    }
    if (end.exitCode() == 0) {
      LOG.info("embedded Flink: {}; exiting with status 0", end.reason());
    } else {
      LOG.error(
          "embedded Flink cannot run its jobs: {}; exiting with status {} so the supervisor"
              + " restarts it from the latest checkpoint",
          end.reason(),
          end.exitCode());
    }
    // Flink's non-daemon threads would keep a dead runner alive: end the process (the shutdown
    // hook still stops what can be stopped, with bounded waits)
    System.exit(end.exitCode());
  }

  /** Why the runner ends, and the exit status that tells the supervisor. */
  record Ended(String reason, int exitCode) {}

  /** The embedded cluster with its jobs and health server, as {@link #start} left them. */
  static final class Running {
    final LocalConfig local;
    final MiniCluster cluster;
    final Map<LocalJob, JobID> jobs;
    final Map<LocalJob, Path> resumedFrom;
    HealthServer health;
    volatile boolean stopping;

    Running(
        LocalConfig local,
        MiniCluster cluster,
        Map<LocalJob, JobID> jobs,
        Map<LocalJob, Path> resumedFrom) {
      this.local = local;
      this.cluster = cluster;
      this.jobs = jobs;
      this.resumedFrom = resumedFrom;
    }

    Map<String, Object> status() {
      return LocalFlink.status(cluster, jobs);
    }

    /**
     * Blocks until the cluster can no longer run the jobs: a job reached a terminal state, the
     * cluster shut itself down (a fatal error closes the MiniCluster), or no TaskManager was
     * registered for longer than {@code PAPERTAPE_FLINK_LOST_TM_GRACE} (a TaskManager that died of
     * a fatal error is not replaced: the jobs would wait for slots forever).
     */
    Ended awaitEnd() throws InterruptedException {
      Map<LocalJob, CompletableFuture<JobResult>> results = new LinkedHashMap<>();
      jobs.forEach((job, id) -> results.put(job, jobResult(id)));
      Duration grace = local.lostTaskManagerGrace();
      long taskManagerSeen = System.nanoTime();
      while (true) {
        for (Map.Entry<LocalJob, CompletableFuture<JobResult>> e : results.entrySet()) {
          if (e.getValue().isDone() && cluster.isRunning()) {
            return ended(e.getKey(), e.getValue());
          }
        }
        // checked after the jobs: a closing cluster ends them too, and is the cause to name
        if (!cluster.isRunning()) {
          return new Ended(
              "the embedded cluster shut itself down (a fatal error, logged above)",
              EXIT_CANNOT_RUN);
        }
        if (taskManagers() > 0) {
          taskManagerSeen = System.nanoTime();
        } else if (System.nanoTime() - taskManagerSeen > grace.toNanos()) {
          return new Ended("no TaskManager for " + Durations.format(grace), EXIT_CANNOT_RUN);
        }
        Thread.sleep(POLL.toMillis());
      }
    }

    /** The MiniCluster throws rather than fails the future once it is shut down. */
    private CompletableFuture<JobResult> jobResult(JobID id) {
      try {
        return cluster.requestJobResult(id);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    /** TaskManagers registered now; 0 when the cluster does not answer. */
    private int taskManagers() {
      try {
        return cluster
            .requestClusterOverview()
            .get(5, TimeUnit.SECONDS)
            .getNumTaskManagersConnected();
      } catch (Exception e) {
        LOG.debug("cluster overview unavailable: {}", e.toString());
        return 0;
      }
    }

    private static Ended ended(LocalJob job, CompletableFuture<JobResult> result) {
      JobResult r;
      try {
        r = result.join();
      } catch (RuntimeException e) {
        return new Ended(
            "job " + job.label() + ": its result is unavailable (" + e + ")", EXIT_CANNOT_RUN);
      }
      String cause = r.getSerializedThrowable().map(t -> " (" + t.getMessage() + ")").orElse("");
      if (r.getApplicationStatus() == ApplicationStatus.SUCCEEDED) {
        return new Ended("job " + job.label() + " finished", 0);
      }
      return new Ended(
          "job " + job.label() + " ended " + r.getApplicationStatus() + cause, EXIT_CANNOT_RUN);
    }

    /** Every job stopped with a savepoint (else cancelled), then the cluster and health server. */
    void stop() {
      stopping = true;
      LocalFlink.stop(cluster, jobs, local);
      if (health != null) {
        health.close();
      }
    }
  }

  /** Starts the cluster, submits every configured job, and serves their health. */
  static Running start(Settings settings) throws Exception {
    LocalConfig local = LocalConfig.from(settings);
    LOG.info(
        "starting embedded Flink: ui={} (bound to {}) state={} jobs={}",
        local.uiUrl(),
        local.bindAddress().getHostAddress(),
        local.stateDir(),
        local.jobs());
    for (LocalJob j : local.jobs()) {
      j.prepare(settings);
    }
    MiniCluster cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(clusterConfig(local))
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(local.jobs().size() * local.parallelism())
                .build());
    cluster.start();
    Map<LocalJob, JobID> jobs = new LinkedHashMap<>();
    Map<LocalJob, Path> resumedFrom = new LinkedHashMap<>();
    for (LocalJob j : local.jobs()) {
      Optional<Path> from = RecoveryPoints.latest(local.recoveryRoots(j));
      from.ifPresent(p -> resumedFrom.put(j, p));
      jobs.put(j, submit(cluster, j, settings, local, from));
    }
    LOG.info("jobs {} submitted; web UI {}", jobs, local.uiUrl());
    Running r = new Running(local, cluster, jobs, resumedFrom);
    r.health =
        HealthServer.start(local.bindAddress(), local.healthPort(), () -> health(cluster, jobs));
    LOG.info("healthz on {}:{}/healthz", local.bindAddress().getHostAddress(), r.health.port());
    return r;
  }

  /** Builds one job's graph with its own state directories and recovery point, and submits it. */
  static JobID submit(
      MiniCluster cluster,
      LocalJob job,
      Settings settings,
      LocalConfig local,
      Optional<Path> resumeFrom)
      throws Exception {
    Configuration jobConf = new Configuration();
    jobConf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    jobConf.set(
        CheckpointingOptions.CHECKPOINTS_DIRECTORY, local.checkpoints(job).toUri().toString());
    jobConf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, local.savepoints(job).toUri().toString());
    jobConf.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(jobConf);
    job.wire(env, settings);
    StreamGraph graph = env.getStreamGraph();
    graph.setJobName(job.jobName());
    if (resumeFrom.isPresent()) {
      LOG.info("job {}: resuming from {}", job.label(), resumeFrom.get());
      // a window size removed from PAPERTAPE_METRICS_WINDOWS leaves state nobody claims: drop it
      graph.setSavepointRestoreSettings(
          SavepointRestoreSettings.forPath(resumeFrom.get().toUri().toString(), true));
    } else {
      LOG.info(
          "job {}: no checkpoint found: starting from the committed Kafka offsets (or the"
              + " earliest)",
          job.label());
    }
    return cluster.submitJob(graph).get(2, TimeUnit.MINUTES).getJobID();
  }

  static Configuration clusterConfig(LocalConfig local) {
    Configuration conf = new Configuration();
    conf.set(RestOptions.PORT, local.uiPort());
    conf.set(RestOptions.BIND_ADDRESS, local.bindAddress().getHostAddress());
    conf.set(RestOptions.ADDRESS, local.localHost());
    // the blob server (jars and artifacts of the job) and any TaskManager server default to every
    // interface
    conf.set(JobManagerOptions.BIND_HOST, local.bindAddress().getHostAddress());
    conf.set(TaskManagerOptions.BIND_HOST, local.bindAddress().getHostAddress());
    // the web UI shows the job; it does not take jars (code that would run in this process) nor
    // cancel or rescale the job: ./papertape up and down do that
    conf.set(WebOptions.SUBMIT_ENABLE, false);
    conf.set(WebOptions.CANCEL_ENABLE, false);
    conf.set(WebOptions.RESCALE_ENABLE, false);
    conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
    // each job's checkpoint and savepoint directories are its own (see submit)
    conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 3);
    // a database or broker outage restarts the job with back-off, forever, instead of failing it
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
    conf.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
        Duration.ofSeconds(30));
    // Flink's PrometheusReporter listens on every interface; this one on the bind address
    conf.setString(
        "metrics.reporter.prom.factory.class", BoundPrometheusReporterFactory.class.getName());
    conf.setString(
        "metrics.reporter.prom." + BoundPrometheusReporterFactory.HOST,
        local.bindAddress().getHostAddress());
    conf.setString(
        "metrics.reporter.prom." + BoundPrometheusReporterFactory.PORT,
        Integer.toString(local.prometheusPort()));
    return conf;
  }

  private static Map<String, Object> status(MiniCluster cluster, Map<LocalJob, JobID> running) {
    Map<String, Object> jobs = new LinkedHashMap<>();
    for (Map.Entry<LocalJob, JobID> e : running.entrySet()) {
      String status;
      try {
        status = cluster.getJobStatus(e.getValue()).get(2, TimeUnit.SECONDS).name();
      } catch (Exception failed) {
        status = "UNKNOWN (" + failed + ")";
      }
      jobs.put(
          e.getKey().label(),
          Map.of(
              "job", e.getKey().jobName(), "jobId", e.getValue().toString(), "jobStatus", status));
    }
    return jobs;
  }

  /** 200 while every job is RUNNING; one entry per job either way. */
  private static HealthServer.Health health(MiniCluster cluster, Map<LocalJob, JobID> running) {
    Map<String, Object> jobs = status(cluster, running);
    boolean up =
        jobs.values().stream().allMatch(j -> "RUNNING".equals(((Map<?, ?>) j).get("jobStatus")));
    return new HealthServer.Health(
        up, HealthServer.json(Map.of("status", up ? "UP" : "DOWN", "jobs", jobs)));
  }

  /**
   * Stop-with-savepoint of every job, so the next start resumes exactly; cancel the ones where that
   * is not possible. Then the cluster. Every wait is bounded (in all at most {@link
   * #SAVEPOINT_WAIT} + {@link #CANCEL_WAIT} + {@link #CLOSE_WAIT}, within the supervisor's stop
   * timeout), and a cluster that already shut itself down is only closed: nothing there can take a
   * savepoint.
   */
  private static void stop(MiniCluster cluster, Map<LocalJob, JobID> running, LocalConfig local) {
    if (cluster.isRunning()) {
      Map<LocalJob, CompletableFuture<String>> savepoints = new LinkedHashMap<>();
      running.forEach(
          (job, id) -> savepoints.put(job, stopWithSavepoint(cluster, id, local.savepoints(job))));
      long savepointDeadline = System.nanoTime() + SAVEPOINT_WAIT.toNanos();
      Map<LocalJob, CompletableFuture<?>> cancels = new LinkedHashMap<>();
      savepoints.forEach(
          (job, savepoint) -> {
            try {
              LOG.info(
                  "job {} stopped with savepoint {}",
                  job.label(),
                  savepoint.get(remainingNanos(savepointDeadline), TimeUnit.NANOSECONDS));
            } catch (Exception e) {
              LOG.warn(
                  "job {}: stop-with-savepoint failed ({}); cancelling: the next start resumes"
                      + " from the last checkpoint",
                  job.label(),
                  e.toString());
              cancels.put(job, cancel(cluster, running.get(job)));
            }
          });
      long cancelDeadline = System.nanoTime() + CANCEL_WAIT.toNanos();
      cancels.forEach(
          (job, cancelled) -> {
            try {
              cancelled.get(remainingNanos(cancelDeadline), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
              LOG.error("job {}: cancel failed: {}", job.label(), e.toString());
            }
          });
    }
    try {
      cluster.closeAsync().get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("closing the embedded cluster: {}", e.toString());
    }
  }

  /** The MiniCluster throws rather than fails the future when it is shutting down. */
  private static CompletableFuture<String> stopWithSavepoint(
      MiniCluster cluster, JobID id, Path savepoints) {
    try {
      return cluster.stopWithSavepoint(
          id, savepoints.toUri().toString(), false, SavepointFormatType.CANONICAL);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static CompletableFuture<?> cancel(MiniCluster cluster, JobID id) {
    try {
      return cluster.cancelJob(id);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static long remainingNanos(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }
}
