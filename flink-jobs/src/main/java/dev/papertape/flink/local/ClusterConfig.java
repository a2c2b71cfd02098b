package dev.papertape.flink.local;

import dev.papertape.config.Settings;
import dev.papertape.flink.metrics.MarketMetricsJob;
import dev.papertape.flink.signals.SignalsJob;
import dev.papertape.ops.BindAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ClusterOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ConfigurationUtils;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * The configuration of a Flink session cluster of separate processes on this machine (one
 * JobManager, {@code taskManagers} TaskManagers, started from Flink's own entrypoint classes): the
 * {@code config.yaml} they all read (Flink 2.x format, written with Flink's own writer) and the JVM
 * and dynamic options of each process, sized by Flink's own memory model. {@code ./papertape up
 * --flink cluster} writes it with {@link #main}; {@code FlinkClusterIT} builds one on free ports.
 *
 * <p>Every listener binds {@code bindAddress}; clients on this machine use loopback. Each job's
 * checkpoints and savepoints go to {@code stateDir/<job>/checkpoints|savepoints} (the layout of the
 * embedded runner, so either runner resumes from the other's recovery points), passed per job at
 * submission ({@link #jobOptions}).
 *
 * @param bindAddress {@code PAPERTAPE_BIND_ADDRESS}
 * @param restPort {@code PAPERTAPE_FLINK_UI_PORT}: REST API and web UI of the JobManager
 * @param rpcPort {@code PAPERTAPE_FLINK_RPC_PORT}: the JobManager's RPC port
 * @param prometheusPort {@code PAPERTAPE_FLINK_PROMETHEUS_PORT}: the JobManager's Prometheus
 *     endpoint; TaskManager {@code n} serves on this + n
 * @param taskManagers {@code PAPERTAPE_FLINK_TASK_MANAGERS}
 * @param slotsPerTaskManager {@code PAPERTAPE_FLINK_TASK_SLOTS}
 * @param jobManagerMemory {@code PAPERTAPE_FLINK_JM_MEMORY}: total process memory
 * @param taskManagerMemory {@code PAPERTAPE_FLINK_TM_MEMORY}: total process memory of each
 * @param stateDir {@code PAPERTAPE_FLINK_STATE_DIR}
 * @param heartbeatTimeout how long a TaskManager may be silent before its slots are given up (a
 *     killed one is usually noticed sooner, when its connections drop)
 */
public record ClusterConfig(
    InetAddress bindAddress,
    int restPort,
    int rpcPort,
    int prometheusPort,
    int taskManagers,
    int slotsPerTaskManager,
    MemorySize jobManagerMemory,
    MemorySize taskManagerMemory,
    Path stateDir,
    Duration heartbeatTimeout) {

  /** The name of the configuration file Flink 2.x reads from its configuration directory. */
  public static final String CONFIG_FILE = GlobalConfiguration.FLINK_CONF_FILENAME;

  /** The settings of {@code ./papertape up --flink cluster}, validated. */
  public static ClusterConfig from(Settings s) {
    return new ClusterConfig(
        BindAddress.from(s),
        s.integer("PAPERTAPE_FLINK_UI_PORT", 8081, 1, 65535),
        s.integer("PAPERTAPE_FLINK_RPC_PORT", 6123, 1, 65535),
        s.integer("PAPERTAPE_FLINK_PROMETHEUS_PORT", 9249, 1, 65000),
        s.integer("PAPERTAPE_FLINK_TASK_MANAGERS", 2, 1, 16),
        s.integer("PAPERTAPE_FLINK_TASK_SLOTS", 2, 1, 64),
        memory(s, "PAPERTAPE_FLINK_JM_MEMORY", "1g"),
        memory(s, "PAPERTAPE_FLINK_TM_MEMORY", "1536m"),
        Path.of(s.string("PAPERTAPE_FLINK_STATE_DIR", ".papertape/data/flink")).toAbsolutePath(),
        Duration.ofSeconds(20));
  }

  private static MemorySize memory(Settings s, String name, String defaultValue) {
    String v = s.string(name, defaultValue);
    MemorySize m;
    try {
      m = MemorySize.parse(v);
    } catch (IllegalArgumentException e) {
      throw new Settings.InvalidSettingException(name, v, "a size such as 768m or 2g");
    }
    if (m.compareTo(MemorySize.parse("768m")) < 0) {
      throw new Settings.InvalidSettingException(name, v, "a size of at least 768m");
    }
    return m;
  }

  /**
   * The processes' working files ({@code io.tmp.dirs}): it must exist, writable by the user they
   * run as, before they start (Flink writes its JAAS file there first).
   */
  public Path tmpDir() {
    return stateDir.resolve("tmp");
  }

  /** Where clients on this machine reach the listeners: loopback when bound to every interface. */
  public String localHost() {
    return bindAddress.isAnyLocalAddress() ? BindAddress.DEFAULT : bindAddress.getHostAddress();
  }

  /** The {@code -m} address of Flink's CLI. */
  public String restAddress() {
    return localHost() + ":" + restPort;
  }

  /** The cluster-wide configuration: what {@code config.yaml} holds. */
  public Configuration configuration() {
    Configuration c = new Configuration();
    String bind = bindAddress.getHostAddress();
    c.set(JobManagerOptions.ADDRESS, localHost());
    c.set(JobManagerOptions.PORT, rpcPort);
    c.set(JobManagerOptions.BIND_HOST, bind);
    c.set(JobManagerOptions.TOTAL_PROCESS_MEMORY, jobManagerMemory);
    c.set(RestOptions.ADDRESS, localHost());
    c.set(RestOptions.BIND_ADDRESS, bind);
    c.set(RestOptions.PORT, restPort);
    c.set(TaskManagerOptions.HOST, localHost());
    c.set(TaskManagerOptions.BIND_HOST, bind);
    c.set(TaskManagerOptions.NUM_TASK_SLOTS, slotsPerTaskManager);
    c.set(TaskManagerOptions.TOTAL_PROCESS_MEMORY, taskManagerMemory);
    // the jobs keep their state on the heap (hashmap backend): no managed memory to reserve
    c.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ZERO);
    // a job of parallelism n spreads over the TaskManagers, so losing one is a real failover
    c.set(
        TaskManagerOptions.TASK_MANAGER_LOAD_BALANCE_MODE,
        TaskManagerOptions.TaskManagerLoadBalanceMode.SLOTS);
    c.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(2));
    c.set(HeartbeatManagerOptions.HEARTBEAT_TIMEOUT, heartbeatTimeout);
    // working files (blobs, spills) of this cluster's own: Flink's default, /tmp/tm_<resource id>,
    // would be shared with any other local cluster and its user
    c.set(CoreOptions.TMP_DIRS, tmpDir().toString());
    c.set(StateBackendOptions.STATE_BACKEND, "hashmap");
    c.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    c.set(
        CheckpointingOptions.CHECKPOINTS_DIRECTORY,
        stateDir.resolve("checkpoints").toUri().toString());
    c.set(
        CheckpointingOptions.SAVEPOINT_DIRECTORY,
        stateDir.resolve("savepoints").toUri().toString());
    c.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 3);
    c.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    // a database or broker outage, or a lost TaskManager, restarts the job with back-off, forever
    c.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
    c.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
        Duration.ofSeconds(1));
    c.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
        Duration.ofSeconds(30));
    // jobs come from ./papertape (Flink's CLI); the web UI shows them and takes no jars
    c.set(WebOptions.SUBMIT_ENABLE, false);
    c.set(WebOptions.CANCEL_ENABLE, false);
    c.set(WebOptions.RESCALE_ENABLE, false);
    c.set(ClusterOptions.HALT_ON_FATAL_ERROR, true);
    // Flink's Prometheus reporter bound to the bind address (Flink's own listens on every
    // interface): a plugin (see writePlugin); each process gets its port from its arguments
    c.setString(
        "metrics.reporter.prom.factory.class", BoundPrometheusReporterFactory.class.getName());
    c.setString("metrics.reporter.prom." + BoundPrometheusReporterFactory.HOST, bind);
    c.setString(
        "metrics.reporter.prom." + BoundPrometheusReporterFactory.PORT,
        Integer.toString(prometheusPort));
    return c;
  }

  /** The lines of {@code config.yaml}, in Flink's own format. */
  public List<String> yaml() {
    List<String> lines = new ArrayList<>();
    lines.add(
        "# Written by ./papertape (dev.papertape.flink.local.ClusterConfig): edit .env instead.");
    lines.addAll(ConfigurationUtils.convertConfigToWritableLines(configuration(), false));
    return lines;
  }

  /** The JobManager's JVM options (heap, metaspace, direct memory), per Flink's memory model. */
  public List<String> jobManagerJvmOptions() {
    Configuration c = configuration();
    JobManagerProcessSpec spec = JobManagerProcessUtils.processSpecFromConfig(c);
    return split(JobManagerProcessUtils.generateJvmParametersStr(spec, c));
  }

  /** The JobManager's program arguments after the entrypoint class. */
  public List<String> jobManagerArgs(Path confDir) {
    List<String> args = new ArrayList<>(List.of("--configDir", confDir.toString()));
    args.addAll(
        List.of(
            "-D",
            "metrics.reporter.prom." + BoundPrometheusReporterFactory.PORT + "=" + prometheusPort));
    return args;
  }

  /**
   * A TaskManager's JVM options, per Flink's memory model (as Flink's own scripts compute them).
   */
  public List<String> taskManagerJvmOptions() {
    TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(configuration());
    return split(ProcessMemoryUtils.generateJvmParametersStr(spec));
  }

  /**
   * The program arguments of TaskManager {@code n} (1-based): its resource id {@code taskmanager-n}
   * (what its health check looks for), its Prometheus port, and the memory sizes Flink derived, as
   * its own start script passes them.
   */
  public List<String> taskManagerArgs(Path confDir, int n) {
    TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(configuration());
    List<String> args = new ArrayList<>(List.of("--configDir", confDir.toString()));
    args.addAll(
        List.of("-D", TaskManagerOptions.TASK_MANAGER_RESOURCE_ID.key() + "=" + taskManagerId(n)));
    args.addAll(
        List.of(
            "-D",
            "metrics.reporter.prom."
                + BoundPrometheusReporterFactory.PORT
                + "="
                + (prometheusPort + n)));
    args.addAll(split(TaskExecutorProcessUtils.generateDynamicConfigsStr(spec)));
    return args;
  }

  /** The resource id of TaskManager {@code n}. */
  public static String taskManagerId(int n) {
    return "taskmanager-" + n;
  }

  /**
   * The per-job options of a submission ({@code -D} of Flink's CLI): the job's own checkpoint and
   * savepoint directories, the embedded runner's layout.
   */
  public List<String> jobOptions(LocalJob job) {
    Path dir = stateDir.resolve(job.label());
    return List.of(
        "-D"
            + CheckpointingOptions.CHECKPOINTS_DIRECTORY.key()
            + "="
            + dir.resolve("checkpoints").toUri(),
        "-D"
            + CheckpointingOptions.SAVEPOINT_DIRECTORY.key()
            + "="
            + dir.resolve("savepoints").toUri());
  }

  /** The class {@code flink run -c} starts for {@code job}. */
  public static Class<?> mainClass(LocalJob job) {
    return switch (job) {
      case METRICS -> MarketMetricsJob.class;
      case SIGNALS -> SignalsJob.class;
    };
  }

  /**
   * {@code jobs.tsv}: one line per job to run: its short name, its Flink job name, its main class
   * and its savepoint directory (what {@code ops/lib/flink-cluster.sh} submits and stops).
   */
  static List<String> jobsTable(List<LocalJob> jobs, Path stateDir) {
    return jobs.stream()
        .map(
            j ->
                String.join(
                    "\t",
                    j.label(),
                    j.jobName(),
                    mainClass(j).getName(),
                    stateDir.resolve(j.label()).resolve("savepoints").toUri().toString()))
        .toList();
  }

  private static List<String> split(String options) {
    return Arrays.stream(options.trim().split("\\s+")).filter(a -> !a.isEmpty()).toList();
  }

  /**
   * The plugins directory beside {@code confDir}: the processes get it as {@code
   * FLINK_PLUGINS_DIR}.
   */
  public static Path pluginsDir(Path confDir) {
    return confDir.resolveSibling("plugins");
  }

  /**
   * Lays out the reporter plugin, as a Flink installation's {@code plugins/metrics-prometheus}: the
   * jobs jar (which holds {@link BoundPrometheusReporterFactory} and its service entry) and Flink's
   * Prometheus reporter jar, in a class loader of their own.
   */
  static void writePlugin(Path plugins, Path jobsJar) throws IOException {
    Path dir = plugins.resolve("papertape-prometheus");
    Files.createDirectories(dir);
    Path reporterJar;
    try {
      reporterJar =
          Path.of(
              AbstractPrometheusReporter.class
                  .getProtectionDomain()
                  .getCodeSource()
                  .getLocation()
                  .toURI());
    } catch (URISyntaxException | RuntimeException e) {
      throw new IllegalStateException(
          "cannot find the flink-metrics-prometheus jar on this classpath (run with"
              + " flink-jobs/target/local-classpath.txt)",
          e);
    }
    for (Path jar : List.of(jobsJar, reporterJar)) {
      Files.copy(jar, dir.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Writes {@code config.yaml} into {@code confDir}, the arguments of each process beside it, and
   * the reporter plugin (with {@code jobsJar}, the shaded jar) into {@link #pluginsDir}.
   */
  public void write(Path confDir, Path jobsJar) throws IOException {
    Files.createDirectories(confDir);
    writePlugin(pluginsDir(confDir), jobsJar);
    Files.write(confDir.resolve(CONFIG_FILE), yaml(), StandardCharsets.UTF_8);
    Files.write(confDir.resolve("jobmanager.jvm"), jobManagerJvmOptions(), StandardCharsets.UTF_8);
    Files.write(
        confDir.resolve("jobmanager.args"), jobManagerArgs(confDir), StandardCharsets.UTF_8);
    Files.write(
        confDir.resolve("taskmanager.jvm"), taskManagerJvmOptions(), StandardCharsets.UTF_8);
    for (int n = 1; n <= taskManagers; n++) {
      Files.write(
          confDir.resolve("taskmanager-" + n + ".args"),
          taskManagerArgs(confDir, n),
          StandardCharsets.UTF_8);
    }
    for (LocalJob job : LocalJob.values()) {
      Files.write(
          confDir.resolve("job-" + job.label() + ".args"), jobOptions(job), StandardCharsets.UTF_8);
    }
  }

  /**
   * The newest complete savepoint or retained checkpoint of {@code job} (the embedded runner's
   * recovery roots, so a job resumes where either runner left it).
   */
  public static Optional<Path> recoveryPoint(Settings s, LocalJob job) {
    return RecoveryPoints.latest(LocalFlink.LocalConfig.from(s).recoveryRoots(job));
  }

  /**
   * The commands of {@code ops/lib/flink-cluster.sh}, settings from the {@code PAPERTAPE_*}
   * environment (see {@link #from}):
   *
   * <ul>
   *   <li>{@code write CONF_DIR JOBS_JAR}: writes {@code config.yaml}, the JVM options ({@code
   *       jobmanager.jvm}, {@code taskmanager.jvm}) and program arguments ({@code jobmanager.args},
   *       {@code taskmanager-N.args}) of each process, and the submission options of each job
   *       ({@code job-<name>.args}), one a line;
   *   <li>{@code recovery-point JOB FILE}: writes the URI of the job's newest recovery point into
   *       FILE (empty when it has none).
   * </ul>
   */
  public static void main(String[] args) throws IOException {
    Settings s = Settings.fromEnv();
    if (args.length == 3 && args[0].equals("write")) {
      ClusterConfig c = from(s);
      Path dir = Path.of(args[1]).toAbsolutePath();
      c.write(dir, Path.of(args[2]));
      Files.write(
          dir.resolve("jobs.tsv"),
          jobsTable(LocalFlink.LocalConfig.from(s).jobs(), c.stateDir()),
          StandardCharsets.UTF_8);
    } else if (args.length == 3 && args[0].equals("recovery-point")) {
      Optional<Path> from = recoveryPoint(s, LocalJob.parse(args[1]));
      Files.writeString(Path.of(args[2]), from.map(p -> p.toUri().toString()).orElse(""));
    } else {
      throw new IllegalArgumentException(
          "usage: ClusterConfig write CONF_DIR JOBS_JAR | ClusterConfig recovery-point JOB FILE (got "
              + Arrays.toString(args)
              + ")");
    }
  }
}
