package dev.papertape.flink.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.papertape.flink.local.ClusterConfig;
import dev.papertape.flink.local.LocalJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Flink session cluster of child processes for {@link FlinkClusterIT}: the JobManager ({@code
 * StandaloneSessionClusterEntrypoint}) and the TaskManagers ({@code TaskManagerRunner}) in JVMs of
 * their own on {@code target/flink-cluster-classpath.txt} (what the flink-jobs build lays out for
 * {@code ./papertape up --flink cluster}), with the {@code config.yaml} and process options of
 * {@link ClusterConfig}; jobs submitted, stopped and cancelled with Flink's CLI frontend in a JVM
 * of its own; state read from the REST API. Each process logs to {@code WORK/logs/<name>.log}.
 */
final class FlinkClusterProcesses implements AutoCloseable {
  private static final Path CLASSPATH = Path.of("target", "flink-cluster-classpath.txt");
  private static final Path JOBS_JAR = Path.of("target", "papertape-flink-jobs.jar");
  private static final Path LOG4J = Path.of("..", "ops", "flink", "log4j2.properties");
  private static final String JOB_MANAGER =
      "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  private static final String TASK_MANAGER =
      "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
  private static final String CLI = "org.apache.flink.client.cli.CliFrontend";
  private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");
  private static final Pattern SAVEPOINT = Pattern.compile("Savepoint completed\\. Path: (\\S+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ClusterConfig config;
  private final Path work;
  private final Path conf;
  private final String classpath;
  private final Map<String, Process> processes = new LinkedHashMap<>();
  private final Map<String, LocalJob> jobs = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private int cliRuns;

  private FlinkClusterProcesses(ClusterConfig config, Path work, String classpath) {
    this.config = config;
    this.work = work;
    this.conf = work.resolve("conf");
    this.classpath = classpath;
  }

  /** Writes the configuration, starts the JobManager and every TaskManager, waits until ready. */
  static FlinkClusterProcesses start(ClusterConfig config, Path work) throws Exception {
    if (!Files.isRegularFile(CLASSPATH) || !Files.isRegularFile(JOBS_JAR)) {
      throw new IllegalStateException(
          CLASSPATH
              + " or "
              + JOBS_JAR
              + " is missing: this test runs after 'package' (mvn verify, ./papertape test)");
    }
    FlinkClusterProcesses c =
        new FlinkClusterProcesses(config, work, Files.readString(CLASSPATH).trim());
    Runtime.getRuntime().addShutdownHook(new Thread(c::killAll, "flink-cluster-it-cleanup"));
    config.write(c.conf, JOBS_JAR.toAbsolutePath());
    Files.createDirectories(config.tmpDir());
    c.launch(
        "jobmanager", config.jobManagerJvmOptions(), JOB_MANAGER, config.jobManagerArgs(c.conf));
    for (int n = 1; n <= config.taskManagers(); n++) {
      c.launch(
          "taskmanager-" + n,
          config.taskManagerJvmOptions(),
          TASK_MANAGER,
          config.taskManagerArgs(c.conf, n));
    }
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .failFast("a cluster process exited; see " + work.resolve("logs"), c::anyExited)
        .until(() -> c.rest("/overview").path("taskmanagers").asInt() == config.taskManagers());
    return c;
  }

  /**
   * The JVM options every Flink process here gets: the --add-opens of this JVM (the root pom's).
   */
  private static List<String> opens() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports"))
        .toList();
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private List<String> command(List<String> jvm, String main, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.addAll(jvm);
    cmd.addAll(opens());
    cmd.add("-Dlog4j2.configurationFile=" + LOG4J.toAbsolutePath().normalize());
    cmd.addAll(List.of("-cp", classpath, main));
    cmd.addAll(args);
    return cmd;
  }

  private ProcessBuilder builder(String name, List<String> cmd) throws IOException {
    Path log = work.resolve("logs").resolve(name + ".log");
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("FLINK_CONF_DIR", conf.toString());
    pb.environment().put("FLINK_PLUGINS_DIR", ClusterConfig.pluginsDir(conf).toString());
    return pb;
  }

  private void launch(String name, List<String> jvm, String main, List<String> args)
      throws IOException {
    processes.put(name, builder(name, command(jvm, main, args)).start());
  }

  private boolean anyExited() {
    return processes.values().stream().anyMatch(p -> !p.isAlive());
  }

  /** Runs Flink's CLI frontend to completion; its output. */
  private String cli(List<String> args, Map<String, String> env) throws Exception {
    String name = "cli-" + ++cliRuns + "-" + args.get(0);
    ProcessBuilder pb = builder(name, command(List.of("-Xmx256m"), CLI, args));
    pb.environment().putAll(env);
    Process p = pb.start();
    Path log = work.resolve("logs").resolve(name + ".log");
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException(
          "flink " + args.get(0) + " did not end in 3 minutes; see " + log);
    }
    String out = Files.readString(log);
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          "flink " + args + " exited with " + p.exitValue() + "; its output:\n" + out);
    }
    return out;
  }

  private static String find(Pattern pattern, String output, String what) {
    Matcher m = pattern.matcher(output);
    if (!m.find()) {
      throw new IllegalStateException("no " + what + " in Flink's CLI output:\n" + output);
    }
    return m.group(1);
  }

  /**
   * {@code flink run -d -m HOST:PORT -c MAIN [-s SAVEPOINT] -D… JAR KEY=VALUE…}: the job's settings
   * as program arguments; its own checkpoint and savepoint directories. Returns the job id.
   */
  String submit(Class<?> main, LocalJob job, Map<String, String> settings, String savepoint)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("run", "-d", "-m", config.restAddress()));
    args.addAll(List.of("-c", main.getName()));
    if (savepoint != null) {
      args.addAll(List.of("-s", savepoint));
    }
    args.addAll(config.jobOptions(job));
    args.add(JOBS_JAR.toAbsolutePath().toString());
    settings.forEach((k, v) -> args.add(k + "=" + v));
    String id = find(JOB_ID, cli(args, Map.of()), "JobID");
    jobs.put(id, job);
    return id;
  }

  /** {@code flink stop --savepointPath DIR}: the savepoint's path. */
  String stopWithSavepoint(String jobId) throws Exception {
    Path dir = config.stateDir().resolve(jobs.get(jobId).label()).resolve("savepoints");
    String out =
        cli(
            List.of(
                "stop",
                "--savepointPath",
                dir.toUri().toString(),
                "-m",
                config.restAddress(),
                jobId),
            Map.of());
    return find(SAVEPOINT, out, "savepoint path");
  }

  /** {@code flink cancel}. */
  void cancel(String jobId) throws Exception {
    cli(List.of("cancel", "-m", config.restAddress(), jobId), Map.of());
  }

  /** SIGKILL of TaskManager {@code n}. */
  void killTaskManager(int n) throws InterruptedException {
    Process p = processes.get("taskmanager-" + n);
    p.destroyForcibly(); // SIGKILL
    p.waitFor(30, TimeUnit.SECONDS);
  }

  JsonNode rest(String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://" + config.restAddress() + path))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET " + path + ": " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  String jobState(String jobId) throws Exception {
    return rest("/jobs/" + jobId).path("state").asText();
  }

  long completedCheckpoints(String jobId) throws Exception {
    return rest("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong();
  }

  /** The savepoint or checkpoint the job was restored from (waits until the job reports it). */
  String restoredFrom(String jobId) {
    String[] path = new String[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(
            () -> {
              JsonNode restored =
                  rest("/jobs/" + jobId + "/checkpoints").path("latest").path("restored");
              path[0] = restored.path("external_path").asText(null);
              return path[0] != null;
            });
    return path[0];
  }

  /** The failures the job has seen (each one a restart), from its exception history. */
  long failures(String jobId) throws Exception {
    return rest("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries").size();
  }

  /**
   * Waits until every task of the job runs (the job's state says RUNNING as soon as it is
   * rescheduled, before its tasks are deployed) and on exactly {@code taskManagers}.
   */
  void awaitRunningOn(String jobId, Set<String> taskManagers) {
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () -> {
              JsonNode job = rest("/jobs/" + jobId);
              boolean allRunning = "RUNNING".equals(job.path("state").asText());
              for (JsonNode v : job.path("vertices")) {
                allRunning &= "RUNNING".equals(v.path("status").asText());
              }
              return allRunning && taskManagersOf(jobId).equals(taskManagers);
            });
  }

  /** The resource ids of the TaskManagers that run the job's current subtasks. */
  Set<String> taskManagersOf(String jobId) throws Exception {
    Set<String> ids = new TreeSet<>();
    for (JsonNode v : rest("/jobs/" + jobId).path("vertices")) {
      JsonNode tms =
          rest("/jobs/" + jobId + "/vertices/" + v.path("id").asText() + "/taskmanagers");
      for (JsonNode tm : tms.path("taskmanagers")) {
        ids.add(tm.path("taskmanager-id").asText());
      }
    }
    return ids;
  }

  private void killAll() {
    processes.values().forEach(Process::destroyForcibly);
  }

  /** Every process stopped: SIGTERM, SIGKILL after 20 s. */
  @Override
  public void close() {
    List<String> names = new ArrayList<>(processes.keySet());
    Collections.reverse(names);
    for (String name : names) {
      Process p = processes.get(name);
      p.destroy();
      try {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The first of {@code n} consecutive free ports. */
  static int freePortRange(int n) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int first = freePort();
      boolean free = true;
      for (int i = 1; i < n && free; i++) {
        try (ServerSocket s = new ServerSocket(first + i, 1, InetAddress.getLoopbackAddress())) {
          free = s.getLocalPort() == first + i;
        } catch (IOException taken) {
          free = false;
        }
      }
      if (free && first + n < 65536) {
        return first;
      }
    }
    throw new IOException("no " + n + " consecutive free ports found on the loopback");
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException("cannot delete " + p, e);
                }
              });
    }
    Files.createDirectories(dir);
  }
}
