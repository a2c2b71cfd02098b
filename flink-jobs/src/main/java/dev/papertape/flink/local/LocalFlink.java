package dev.papertape.flink.local;

import dev.papertape.config.Settings;
import dev.papertape.flink.metrics.MarketMetricsJob;
import dev.papertape.flink.metrics.MetricsJobConfig;
import dev.papertape.kafka.Topics;
import dev.papertape.ops.BindAddress;
import dev.papertape.ops.HealthServer;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the market metrics job in an embedded Flink (a MiniCluster with the Flink web UI), as {@code
 * ./papertape up} does: checkpoints in {@code PAPERTAPE_FLINK_STATE_DIR}, resumed on the next start
 * from the newest checkpoint or savepoint; a stop-with-savepoint on SIGTERM; {@code /healthz} that
 * is 200 while the job is RUNNING; Prometheus metrics of the job on {@code
 * PAPERTAPE_FLINK_PROMETHEUS_PORT}. Every listener (web UI and REST, health, Prometheus) binds
 * {@code PAPERTAPE_BIND_ADDRESS} (127.0.0.1 by default), and the web UI can neither submit jobs
 * (jars) nor cancel or rescale the running one.
 */
public final class LocalFlink {
  private static final Logger LOG = LoggerFactory.getLogger(LocalFlink.class);

  private LocalFlink() {}

  /** Settings of the embedded cluster itself (the job's are {@link MetricsJobConfig}). */
  record LocalConfig(
      InetAddress bindAddress, int uiPort, int healthPort, int prometheusPort, Path stateDir) {
    static LocalConfig from(Settings s) {
      return new LocalConfig(
          BindAddress.from(s),
          s.integer("PAPERTAPE_FLINK_UI_PORT", 8081, 1, 65535),
          s.integer("PAPERTAPE_FLINK_HEALTH_PORT", 8083, 0, 65535),
          s.integer("PAPERTAPE_FLINK_PROMETHEUS_PORT", 9249, 1, 65535),
          Path.of(s.string("PAPERTAPE_FLINK_STATE_DIR", ".papertape/data/flink")).toAbsolutePath());
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

  public static void main(String[] args) throws Exception {
    Settings settings = MarketMetricsJob.settings(args);
    MetricsJobConfig cfg = MetricsJobConfig.from(settings);
    LocalConfig local = LocalConfig.from(settings);
    LOG.info(
        "starting embedded Flink: ui={} (bound to {}) state={}",
        local.uiUrl(),
        local.bindAddress().getHostAddress(),
        local.stateDir());
    LOG.info("job settings: {}", cfg.describe());
    Topics.ensure(cfg.kafkaBootstrap(), cfg.topics());

    Configuration conf = clusterConfig(local);
    Optional<Path> resumeFrom =
        RecoveryPoints.latest(List.of(local.savepoints(), local.checkpoints()));
    if (resumeFrom.isPresent()) {
      LOG.info("resuming from {}", resumeFrom.get());
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, resumeFrom.get().toUri().toString());
      // a window size removed from PAPERTAPE_METRICS_WINDOWS leaves state nobody claims: drop it
      conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
    } else {
      LOG.info("no checkpoint found: starting from the committed Kafka offsets (or the earliest)");
    }

    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
    MarketMetricsJob.wire(env, cfg);
    JobClient job = env.executeAsync(MarketMetricsJob.NAME);
    LOG.info("job {} submitted; web UI {}", job.getJobID(), local.uiUrl());

    try (HealthServer health =
        HealthServer.start(local.bindAddress(), local.healthPort(), () -> health(job))) {
      LOG.info("healthz on {}:{}/healthz", local.bindAddress().getHostAddress(), health.port());
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> stop(job, local), "papertape-flink-shutdown"));
      job.getJobExecutionResult().get();
      LOG.info("job {} finished", job.getJobID());
    }
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
    conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, local.checkpoints().toUri().toString());
    conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, local.savepoints().toUri().toString());
    conf.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
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

  private static HealthServer.Health health(JobClient job) {
    JobStatus status;
    try {
      status = job.getJobStatus().get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      return new HealthServer.Health(
          false, HealthServer.json(Map.of("status", "DOWN", "error", e.toString())));
    }
    boolean up = status == JobStatus.RUNNING;
    return new HealthServer.Health(
        up,
        HealthServer.json(
            Map.of(
                "status",
                up ? "UP" : "DOWN",
                "job",
                MarketMetricsJob.NAME,
                "jobId",
                job.getJobID().toString(),
                "jobStatus",
                status.name())));
  }

  /** Stop-with-savepoint, so the next start resumes exactly; cancel if that is not possible. */
  private static void stop(JobClient job, LocalConfig local) {
    try {
      String savepoint =
          job.stopWithSavepoint(
                  false, local.savepoints().toUri().toString(), SavepointFormatType.CANONICAL)
              .get(60, TimeUnit.SECONDS);
      LOG.info("stopped with savepoint {}", savepoint);
    } catch (Exception e) {
      LOG.warn(
          "stop-with-savepoint failed ({}); cancelling: the next start resumes from the last"
              + " checkpoint",
          e.toString());
      try {
        job.cancel().get(30, TimeUnit.SECONDS);
      } catch (Exception cancelFailed) {
        LOG.error("cancel failed: {}", cancelFailed.toString());
      }
    }
  }
}
