package dev.papertape.flink.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.config.Settings;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.junit.jupiter.api.Test;

class LocalFlinkTest {
  private static Configuration conf(Map<String, String> env) {
    return LocalFlink.clusterConfig(LocalFlink.LocalConfig.from(new Settings(env)));
  }

  @Test
  void everyListenerBindsLoopbackByDefault() {
    Configuration c = conf(Map.of());

    assertThat(c.get(RestOptions.BIND_ADDRESS)).isEqualTo("127.0.0.1");
    assertThat(c.get(RestOptions.ADDRESS)).isEqualTo("127.0.0.1");
    assertThat(c.get(RestOptions.PORT)).isEqualTo(8081);
    assertThat(c.get(JobManagerOptions.BIND_HOST)).isEqualTo("127.0.0.1");
    assertThat(c.get(TaskManagerOptions.BIND_HOST)).isEqualTo("127.0.0.1");
    assertThat(c.toMap())
        .containsEntry(
            "metrics.reporter.prom.factory.class", BoundPrometheusReporterFactory.class.getName())
        .containsEntry("metrics.reporter.prom.host", "127.0.0.1")
        .containsEntry("metrics.reporter.prom.port", "9249");
  }

  @Test
  void theBindAddressSettingMovesEveryListener() {
    Configuration c = conf(Map.of("PAPERTAPE_BIND_ADDRESS", "0.0.0.0"));

    assertThat(c.get(RestOptions.BIND_ADDRESS)).isEqualTo("0.0.0.0");
    assertThat(c.get(JobManagerOptions.BIND_HOST)).isEqualTo("0.0.0.0");
    // clients on this machine still use loopback
    assertThat(c.get(RestOptions.ADDRESS)).isEqualTo("127.0.0.1");
    assertThat(c.toMap()).containsEntry("metrics.reporter.prom.host", "0.0.0.0");
  }

  @Test
  void theWebUiCannotSubmitCancelOrRescaleJobs() {
    Configuration c = conf(Map.of());

    assertThat(c.get(WebOptions.SUBMIT_ENABLE)).isFalse();
    assertThat(c.get(WebOptions.CANCEL_ENABLE)).isFalse();
    assertThat(c.get(WebOptions.RESCALE_ENABLE)).isFalse();
  }
}
