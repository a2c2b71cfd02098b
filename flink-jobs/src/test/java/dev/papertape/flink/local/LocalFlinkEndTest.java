package dev.papertape.flink.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.papertape.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded runner ends when its cluster can no longer run the jobs, on a real MiniCluster
 * configured as {@link LocalFlink} configures it (restarts forever) and a tiny job in place of the
 * project's (no broker, no database): the TaskManager gone, the cluster closed by a fatal error,
 * the job ended. Each gives the reason and the exit status.
 */
class LocalFlinkEndTest {
  private static final Duration GRACE = Duration.ofSeconds(2);

  private MiniCluster cluster;

  /** Passes numbers slowly, for ever: a streaming job that keeps one slot busy. */
  static final class Slowly implements MapFunction<Long, Long> {
    @Override
    public Long map(Long value) throws InterruptedException {
      Thread.sleep(50);
      return value;
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The runner's cluster with the tiny job running in it (as the metrics job). */
  private LocalFlink.Running running() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("PAPERTAPE_FLINK_UI_PORT", Integer.toString(freePort()));
    env.put("PAPERTAPE_FLINK_PROMETHEUS_PORT", Integer.toString(freePort()));
    env.put("PAPERTAPE_FLINK_LOST_TM_GRACE", GRACE.toMillis() + "ms");
    LocalFlink.LocalConfig local = LocalFlink.LocalConfig.from(new Settings(env));
    cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(LocalFlink.clusterConfig(local))
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(1)
                .build());
    cluster.start();
    StreamExecutionEnvironment flink = StreamExecutionEnvironment.getExecutionEnvironment();
    flink.setParallelism(1);
    flink.fromSequence(0, Long.MAX_VALUE).map(new Slowly()).sinkTo(new DiscardingSink<>());
    StreamGraph graph = flink.getStreamGraph();
    JobID id = cluster.submitJob(graph).get(1, TimeUnit.MINUTES).getJobID();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> cluster.getJobStatus(id).get() == JobStatus.RUNNING);
    return new LocalFlink.Running(local, cluster, Map.of(LocalJob.METRICS, id), Map.of());
  }

  @AfterEach
  void close() throws Exception {
    if (cluster != null) {
      cluster.closeAsync().get(1, TimeUnit.MINUTES);
    }
  }

  @Test
  void noTaskManagerForLongerThanTheGraceEndsTheRunner() throws Exception {
    LocalFlink.Running r = running();
    cluster.terminateTaskManager(0).get(1, TimeUnit.MINUTES);

    LocalFlink.Ended end = assertTimeoutPreemptively(Duration.ofSeconds(60), r::awaitEnd);

    assertThat(end.reason()).isEqualTo("no TaskManager for 2s");
    assertThat(end.exitCode()).isEqualTo(LocalFlink.EXIT_CANNOT_RUN);
    // the job itself only waits for slots: without the watch the runner would live on
    assertThat(cluster.getJobStatus(r.jobs.get(LocalJob.METRICS)).get().isGloballyTerminalState())
        .isFalse();
  }

  @Test
  void aClusterThatShutItselfDownEndsTheRunner() throws Exception {
    LocalFlink.Running r = running();
    cluster.closeAsync(); // what the MiniCluster does on a fatal error

    LocalFlink.Ended end = assertTimeoutPreemptively(Duration.ofSeconds(60), r::awaitEnd);

    assertThat(end.reason()).startsWith("the embedded cluster shut itself down");
    assertThat(end.exitCode()).isEqualTo(LocalFlink.EXIT_CANNOT_RUN);
  }

  @Test
  void aJobThatEndedEndsTheRunner() throws Exception {
    LocalFlink.Running r = running();
    cluster.cancelJob(r.jobs.get(LocalJob.METRICS)).get(1, TimeUnit.MINUTES);

    LocalFlink.Ended end = assertTimeoutPreemptively(Duration.ofSeconds(60), r::awaitEnd);

    assertThat(end.reason()).startsWith("job metrics ended CANCELED");
    assertThat(end.exitCode()).isEqualTo(LocalFlink.EXIT_CANNOT_RUN);
  }

  @Test
  void theGraceMustBePositive() {
    assertThatThrownBy(
            () ->
                LocalFlink.LocalConfig.from(
                    new Settings(Map.of("PAPERTAPE_FLINK_LOST_TM_GRACE", "PT-5S"))))
        .hasMessageContaining("PAPERTAPE_FLINK_LOST_TM_GRACE")
        .hasMessageContaining("greater than 0");
  }
}
