package dev.papertape.flink.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.papertape.config.Settings;
import dev.papertape.testing.KafkaTestBroker;
import dev.papertape.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded runner as {@code ./papertape up} starts it, on the real broker and database: every
 * configured job runs in the one cluster with a health entry of its own, keeps its checkpoints and
 * savepoints in a directory of its own, and resumes from its own savepoint after a stop.
 */
class LocalFlinkIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path state;

  private Settings settings() {
    Map<String, String> env = new HashMap<>();
    env.put("PAPERTAPE_KAFKA_BOOTSTRAP", KafkaTestBroker.bootstrap());
    env.put("PAPERTAPE_TRADES_TOPIC", KafkaTestBroker.uniqueTopic("trades"));
    env.put("PAPERTAPE_TRADES_DLQ_TOPIC", KafkaTestBroker.uniqueTopic("trades-dlq"));
    env.put("PAPERTAPE_TRADES_LATE_TOPIC", KafkaTestBroker.uniqueTopic("trades-late"));
    env.put("PAPERTAPE_METRICS_TOPIC", KafkaTestBroker.uniqueTopic("aggregated-metrics"));
    env.put("PAPERTAPE_METRICS_GROUP_ID", "it-" + UUID.randomUUID());
    env.put("PAPERTAPE_TRADES_PARTITIONS", "1");
    env.put("PAPERTAPE_DB_URL", TestDatabase.migrated());
    env.put("PAPERTAPE_DB_USER", TestDatabase.USER);
    env.put("PAPERTAPE_DB_PASSWORD", TestDatabase.PASSWORD);
    env.put("PAPERTAPE_CHECKPOINT_INTERVAL", "500ms");
    env.put("PAPERTAPE_FLINK_STATE_DIR", state.toString());
    // PAPERTAPE_FLINK_JOBS unset: every job, as ./papertape up runs them by default
    env.put("PAPERTAPE_METRICS_DLQ_TOPIC", KafkaTestBroker.uniqueTopic("aggregated-metrics-dlq"));
    env.put("PAPERTAPE_CONTROL_TOPIC", KafkaTestBroker.uniqueTopic("strategy-control"));
    env.put("PAPERTAPE_CONTROL_DLQ_TOPIC", KafkaTestBroker.uniqueTopic("strategy-control-dlq"));
    env.put("PAPERTAPE_SIGNALS_TOPIC", KafkaTestBroker.uniqueTopic("price-alerts"));
    env.put("PAPERTAPE_SIGNALS_GROUP_ID", "it-" + UUID.randomUUID());
    env.put("PAPERTAPE_FLINK_UI_PORT", Integer.toString(freePort()));
    env.put("PAPERTAPE_FLINK_HEALTH_PORT", "0");
    env.put("PAPERTAPE_FLINK_PROMETHEUS_PORT", Integer.toString(freePort()));
    return new Settings(env);
  }

  private static int freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static JsonNode health(LocalFlink.Running r) throws Exception {
    HttpResponse<String> resp =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + r.health.port() + "/healthz"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(resp.body());
  }

  @Test
  void eachJobHasItsHealthEntryItsStateDirectoryAndResumesFromItsOwnSavepoint() throws Exception {
    Settings settings = settings();
    LocalFlink.Running first = LocalFlink.start(settings);
    try {
      assertThat(first.resumedFrom).isEmpty();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> health(first).path("status").asText().equals("UP"));
      JsonNode metrics = health(first).path("jobs").path("metrics");
      assertThat(metrics.path("job").asText()).isEqualTo("papertape-market-metrics");
      assertThat(metrics.path("jobStatus").asText()).isEqualTo("RUNNING");
      JsonNode signals = health(first).path("jobs").path("signals");
      assertThat(signals.path("job").asText()).isEqualTo("papertape-signals");
      assertThat(signals.path("jobStatus").asText()).isEqualTo("RUNNING");
      for (String job : List.of("metrics", "signals")) {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    RecoveryPoints.latest(List.of(state.resolve(job).resolve("checkpoints")))
                        .isPresent());
      }
    } finally {
      first.stop();
    }
    Path savepoint =
        RecoveryPoints.latest(List.of(state.resolve("metrics").resolve("savepoints")))
            .orElseThrow();
    Path signalsSavepoint =
        RecoveryPoints.latest(List.of(state.resolve("signals").resolve("savepoints")))
            .orElseThrow();

    LocalFlink.Running second = LocalFlink.start(settings);
    try {
      assertThat(second.resumedFrom).containsEntry(LocalJob.METRICS, savepoint);
      assertThat(second.resumedFrom).containsEntry(LocalJob.SIGNALS, signalsSavepoint);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> health(second).path("status").asText().equals("UP"));
    } finally {
      second.stop();
    }
  }
}
