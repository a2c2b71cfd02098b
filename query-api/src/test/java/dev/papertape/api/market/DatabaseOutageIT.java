package dev.papertape.api.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.papertape.api.RealInfrastructure;
import dev.papertape.model.Trade;
import dev.papertape.model.TradeCodec;
import dev.papertape.testing.KafkaTestBroker;
import dev.papertape.testing.TradeFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A real database outage: the API's R2DBC URL points at a local port where nothing listens (nothing
 * mocked), Kafka is the real test broker. Database-backed routes answer 503 {@code
 * database-unavailable} with {@code Retry-After}; the price of a symbol seen on the trades topic is
 * still served from the stream; readiness is down, liveness up.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class DatabaseOutageIT {
  static final RealInfrastructure INFRA = new RealInfrastructure();

  @Autowired WebTestClient client;

  @DynamicPropertySource
  static void outage(DynamicPropertyRegistry r) {
    INFRA.register(r);
    String url = "postgresql://127.0.0.1:" + deadPort() + "/papertape";
    r.add("spring.r2dbc.url", () -> "r2dbc:" + url);
    r.add("spring.flyway.enabled", () -> "false");
  }

  /** A local port that was free a moment ago: connecting to it is refused. */
  private static int deadPort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void unavailable(String uri) {
    DatabaseUnavailable.expect(client, uri);
  }

  @Test
  void databaseRoutesAnswer503WithRetryAfter() {
    unavailable("/symbols");
    unavailable("/symbols?limit=5");
    unavailable("/metrics");
    unavailable("/metrics?symbols=AAPL");
    unavailable("/symbols/AAPL/history");
    unavailable("/symbols/AAPL/history?window=5m&order=asc");
    // a symbol the stream has not seen: the price needs the database
    unavailable("/symbols/" + TradeFixtures.uniqueSymbol("D") + "/price");
    // bad input is still the client's problem, database or not
    client
        .get()
        .uri("/symbols?limit=0")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo("https://papertape.dev/problems/invalid-parameter");
  }

  @Test
  void priceOfASymbolOnTheStreamIsStillServed() {
    String sym = TradeFixtures.uniqueSymbol("O");
    Trade live = new Trade(sym, new BigDecimal("42.25"), 3, Instant.now(), "outage-1", "test");
    KafkaTestBroker.produce(
        INFRA.trades,
        List.of(
            new ProducerRecord<>(
                INFRA.trades,
                sym.getBytes(StandardCharsets.UTF_8),
                new TradeCodec().encode(live))));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                client
                    .get()
                    .uri("/symbols/" + sym.toLowerCase() + "/price")
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .jsonPath("$.symbol")
                    .isEqualTo(sym)
                    .jsonPath("$.source")
                    .isEqualTo("stream")
                    .jsonPath("$.price")
                    .isEqualTo(42.25));

    // the live stream of that symbol opens as usual: the symbol is validated without the database
    var events =
        client
            .get()
            .uri("/stream/trades?symbols=" + sym)
            .accept(MediaType.TEXT_EVENT_STREAM)
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
            .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {});
    ServerSentEvent<String> first = events.getResponseBody().blockFirst(Duration.ofSeconds(10));
    assertThat(first.comment()).isEqualTo("connected");
  }

  @Test
  void aStreamOfASymbolNeitherKnownNorPricedIs503() {
    unavailable("/stream/trades?symbols=" + TradeFixtures.uniqueSymbol("S"));
  }

  @Test
  void readinessIsDownLivenessIsUp() {
    DatabaseUnavailable.expectReadinessDownLivenessUp(client);
    client
        .get()
        .uri("/healthz")
        .exchange()
        .expectStatus()
        .isEqualTo(503)
        .expectBody()
        .json("{\"status\":\"DOWN\"}");
  }
}
