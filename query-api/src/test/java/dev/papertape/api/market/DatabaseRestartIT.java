package dev.papertape.api.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.papertape.api.RealInfrastructure;
import dev.papertape.model.Trade;
import dev.papertape.model.TradeCodec;
import dev.papertape.testing.KafkaTestBroker;
import dev.papertape.testing.TestDatabase;
import dev.papertape.testing.TradeFixtures;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
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
 * The API on the real stack through a real database outage: the suite's test TimescaleDB is stopped
 * (fast shutdown, every pooled connection is closed by the server) while the API runs, then started
 * again. While it is down, every database-backed route answers 503 {@code database-unavailable}
 * with {@code Retry-After}, promptly; the price of a symbol on the trades stream and the live
 * stream keep answering; readiness is down, liveness up. Once it is back, the same routes answer
 * 200 again without restarting the API: the connection pool recovers by itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class DatabaseRestartIT {
  static final RealInfrastructure INFRA = new RealInfrastructure();

  /** Known to the database only: its price, bars and metrics need the database. */
  static final String STORED = TradeFixtures.uniqueSymbol("R");

  /** Also on the trades stream: its price is served from Kafka. */
  static final String LIVE = TradeFixtures.uniqueSymbol("L");

  /** The longest the API may take to answer 200 again once the database is back. */
  static final Duration RECOVERY = Duration.ofSeconds(30);

  @Autowired WebTestClient client;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry r) {
    INFRA.register(r);
  }

  @BeforeAll
  static void storedData() {
    TestDatabase.execute(
        "INSERT INTO symbols (symbol, name) VALUES ('"
            + STORED
            + "', 'Restart Corp'), ('"
            + LIVE
            + "', 'Live Corp')",
        "INSERT INTO trades (ts, symbol, trade_id, price, size, source) VALUES"
            + " ('2026-01-06T10:00:00Z', '"
            + STORED
            + "', 'r1', 12.5, 3, 'test')",
        "INSERT INTO aggregated_metrics (window_start, symbol, \"window\", window_end, open, high,"
            + " low, close, volume, vwap, trade_count, price_range) VALUES"
            + " ('2026-01-06T10:00:00Z', '"
            + STORED
            + "', '1m', '2026-01-06T10:01:00Z', 12.5, 12.5, 12.5, 12.5, 3, 12.5, 1, 0)");
  }

  /** The database-backed routes, each on data that exists. */
  private static List<String> databaseRoutes() {
    return List.of(
        "/symbols",
        "/metrics",
        "/metrics?symbols=" + STORED,
        "/symbols/" + STORED + "/history?window=1m",
        "/symbols/" + STORED + "/price");
  }

  private void servedFromTheDatabase() {
    for (String uri : databaseRoutes()) {
      client.get().uri(uri).exchange().expectStatus().isOk();
    }
    client
        .get()
        .uri("/symbols/" + STORED + "/history?window=1m")
        .exchange()
        .expectBody()
        .jsonPath("$.bars[0].close")
        .isEqualTo(12.5);
    client
        .get()
        .uri("/symbols/" + STORED + "/price")
        .exchange()
        .expectBody()
        .jsonPath("$.price")
        .isEqualTo(12.5)
        .jsonPath("$.source")
        .isEqualTo("database");
    client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
  }

  private void trade(String price, String id) {
    Trade t = new Trade(LIVE, new BigDecimal(price), 1, Instant.now(), id, "test");
    KafkaTestBroker.produce(
        INFRA.trades,
        List.of(
            new ProducerRecord<>(
                INFRA.trades, LIVE.getBytes(StandardCharsets.UTF_8), new TradeCodec().encode(t))));
  }

  private void livePriceIs(double price) {
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                client
                    .get()
                    .uri("/symbols/" + LIVE + "/price")
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .jsonPath("$.source")
                    .isEqualTo("stream")
                    .jsonPath("$.price")
                    .isEqualTo(price));
  }

  /**
   * A restart no request saw (a blip, a failover): every connection the pool holds was closed by
   * the server, and the first requests after it must not be the ones to find out.
   */
  @Test
  void aRestartBetweenTwoRequestsGoesUnnoticed() {
    servedFromTheDatabase();
    TestDatabase.stopServer();
    TestDatabase.startServer();
    servedFromTheDatabase();
  }

  @Test
  void databaseStoppedThenStartedAgain() {
    servedFromTheDatabase();
    trade("42.25", "restart-1");
    livePriceIs(42.25);

    TestDatabase.stopServer();
    try {
      for (String uri : databaseRoutes()) {
        DatabaseUnavailable.expect(client, uri);
      }
      // a second round: the pool holds no dead connection that answers otherwise
      for (String uri : databaseRoutes()) {
        DatabaseUnavailable.expect(client, uri);
      }

      // the stream-fed routes keep answering, and keep moving
      livePriceIs(42.25);
      trade("43.5", "restart-2");
      livePriceIs(43.5);
      ServerSentEvent<String> first =
          client
              .get()
              .uri("/stream/trades?symbols=" + LIVE)
              .accept(MediaType.TEXT_EVENT_STREAM)
              .exchange()
              .expectStatus()
              .isOk()
              .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {})
              .getResponseBody()
              .blockFirst(Duration.ofSeconds(10));
      assertThat(first.comment()).isEqualTo("connected");

      DatabaseUnavailable.expectReadinessDownLivenessUp(client);
    } finally {
      TestDatabase.startServer();
    }

    long back = System.nanoTime();
    await()
        .atMost(RECOVERY)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(this::servedFromTheDatabase);
    // once recovered, it stays recovered: every route, several times over
    for (int i = 0; i < 3; i++) {
      servedFromTheDatabase();
    }
    livePriceIs(43.5);
    System.getLogger(DatabaseRestartIT.class.getName())
        .log(
            System.Logger.Level.INFO,
            "API answered 200 again {0} ms after the database was back",
            Duration.ofNanos(System.nanoTime() - back).toMillis());
  }
}
