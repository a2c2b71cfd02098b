package dev.papertape.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.papertape.config.Settings;
import dev.papertape.feed.app.FeedApp;
import dev.papertape.feed.config.FeedConfig;
import dev.papertape.feed.sim.GbmSimulator;
import dev.papertape.feed.sim.SimulationSource;
import dev.papertape.testing.KafkaTestBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HealthIT {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> healthz(int port) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthzIsUpWithTheProducedCountWhileSimulating() throws Exception {
    String topic = KafkaTestBroker.uniqueTopic("health");
    FeedConfig config = FeedConfig.from(new Settings(FeedTopics.env(topic)));
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try (FeedApp app = new FeedApp(config, "simulate")) {
      app.start();
      SimulationSource source =
          new SimulationSource(
              new GbmSimulator(config.simulator().withRate(50), 1),
              Speed.REALTIME,
              Instant.now(),
              Long.MAX_VALUE,
              null,
              Clock.systemUTC(),
              System::nanoTime,
              app.sleeper());
      Future<Integer> run = executor.submit(() -> app.run(source));

      await().atMost(Duration.ofSeconds(30)).until(() -> app.status().produced() >= 10);
      HttpResponse<String> r = healthz(app.healthPort());

      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode body = new ObjectMapper().readTree(r.body());
      assertThat(body.get("status").asText()).isEqualTo("UP");
      assertThat(body.get("mode").asText()).isEqualTo("simulate");
      assertThat(body.get("produced").asLong()).isGreaterThanOrEqualTo(10);
      assertThat(body.get("lastError").isNull()).isTrue();

      app.stop();
      assertThat(run.get(15, TimeUnit.SECONDS)).isZero();
      assertThat(healthz(app.healthPort()).statusCode()).isEqualTo(503);
      assertThat(FeedTopics.recordCount(topic)).isEqualTo(app.status().produced());
    } finally {
      executor.shutdownNow();
    }
  }
}
