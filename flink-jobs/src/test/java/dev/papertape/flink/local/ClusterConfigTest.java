package dev.papertape.flink.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.papertape.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration of the local session cluster, read back the way Flink's processes read it. */
class ClusterConfigTest {
  @TempDir Path dir;

  private static ClusterConfig config(Map<String, String> env) {
    return ClusterConfig.from(new Settings(env));
  }

  @Test
  void configYamlIsReadBackByFlinkWithTheSettings() throws Exception {
    Path state = dir.resolve("state");
    ClusterConfig c =
        config(
            Map.of(
                "PAPERTAPE_FLINK_UI_PORT", "18081",
                "PAPERTAPE_FLINK_RPC_PORT", "16123",
                "PAPERTAPE_FLINK_TASK_SLOTS", "3",
                "PAPERTAPE_FLINK_TM_MEMORY", "2g",
                "PAPERTAPE_FLINK_STATE_DIR", state.toString()));
    Path conf = dir.resolve("conf");
    Files.createDirectories(conf);
    Files.write(conf.resolve(ClusterConfig.CONFIG_FILE), c.yaml());

    Configuration read = GlobalConfiguration.loadConfiguration(conf.toString());

    assertThat(read.get(RestOptions.PORT)).isEqualTo(18081);
    assertThat(read.get(RestOptions.BIND_ADDRESS)).isEqualTo("127.0.0.1");
    assertThat(read.get(JobManagerOptions.PORT)).isEqualTo(16123);
    assertThat(read.get(JobManagerOptions.BIND_HOST)).isEqualTo("127.0.0.1");
    assertThat(read.get(TaskManagerOptions.BIND_HOST)).isEqualTo("127.0.0.1");
    assertThat(read.get(TaskManagerOptions.NUM_TASK_SLOTS)).isEqualTo(3);
    assertThat(read.get(TaskManagerOptions.TOTAL_PROCESS_MEMORY)).isEqualTo(MemorySize.parse("2g"));
    assertThat(read.get(CheckpointingOptions.SAVEPOINT_DIRECTORY))
        .isEqualTo(state.resolve("savepoints").toUri().toString());
    assertThat(read.get(CoreOptions.TMP_DIRS)).isEqualTo(state.resolve("tmp").toString());
    assertThat(read.getString("metrics.reporter.prom.factory.class", ""))
        .isEqualTo(BoundPrometheusReporterFactory.class.getName());
  }

  @Test
  void eachTaskManagerHasItsIdAndPortAndFlinksMemorySizes() {
    ClusterConfig c = config(Map.of("PAPERTAPE_FLINK_PROMETHEUS_PORT", "9300"));

    List<String> args = c.taskManagerArgs(dir, 2);

    assertThat(args).containsSubsequence("-D", "taskmanager.resource-id=taskmanager-2");
    assertThat(args).containsSubsequence("-D", "metrics.reporter.prom.port=9302");
    assertThat(args).anyMatch(a -> a.startsWith("taskmanager.memory.task.heap.size="));
    assertThat(c.taskManagerJvmOptions()).anyMatch(a -> a.startsWith("-Xmx"));
    assertThat(c.jobManagerJvmOptions()).anyMatch(a -> a.startsWith("-Xmx"));
  }

  @Test
  void eachJobKeepsItsStateInItsOwnDirectory() {
    Path state = dir.resolve("state");
    ClusterConfig c = config(Map.of("PAPERTAPE_FLINK_STATE_DIR", state.toString()));

    assertThat(c.jobOptions(LocalJob.SIGNALS))
        .contains(
            "-D"
                + CheckpointingOptions.CHECKPOINTS_DIRECTORY.key()
                + "="
                + state.resolve("signals").resolve("checkpoints").toUri());
    assertThat(ClusterConfig.jobsTable(List.of(LocalJob.METRICS), state))
        .containsExactly(
            "metrics\tpapertape-market-metrics\tdev.papertape.flink.metrics.MarketMetricsJob\t"
                + state.resolve("metrics").resolve("savepoints").toUri());
  }

  @Test
  void aMemorySizeTooSmallNamesTheSetting() {
    assertThatThrownBy(() -> config(Map.of("PAPERTAPE_FLINK_TM_MEMORY", "256m")))
        .hasMessageContaining("PAPERTAPE_FLINK_TM_MEMORY")
        .hasMessageContaining("at least 768m");
    assertThatThrownBy(() -> config(Map.of("PAPERTAPE_FLINK_JM_MEMORY", "lots")))
        .hasMessageContaining("PAPERTAPE_FLINK_JM_MEMORY");
  }
}
