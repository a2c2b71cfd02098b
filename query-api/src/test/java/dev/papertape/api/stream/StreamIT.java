package dev.papertape.api.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.papertape.api.RealInfrastructure;
import dev.papertape.api.market.LatestPrices;
import dev.papertape.model.MetricWindow;
import dev.papertape.model.Signal;
import dev.papertape.model.SignalCodec;
import dev.papertape.model.Trade;
import dev.papertape.model.TradeCodec;
import dev.papertape.model.WindowMetrics;
import dev.papertape.model.WindowMetricsCodec;
import dev.papertape.testing.KafkaTestBroker;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * Live streams end to end: records produced to real Kafka topics reach SSE and WebSocket clients,
 * filtered, resumable, and a stalled client does not hold back a healthy one.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"papertape.stream.client-buffer=64", "papertape.stream.heartbeat=1s"})
@AutoConfigureWebTestClient(timeout = "30s")
class StreamIT {
  static final RealInfrastructure INFRA = new RealInfrastructure();
  static final AtomicLong SEQ = new AtomicLong();

  @Autowired WebTestClient client;
  @Autowired StreamMetrics metrics;
  @Autowired LatestPrices latest;
  @LocalServerPort int port;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry r) {
    INFRA.register(r);
  }

  @BeforeEach
  void streamsAttached() {
    // the channel consumers attach to their topics on their own threads, after the start
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
              client
                  .get()
                  .uri("/actuator/health")
                  .exchange()
                  .expectBody()
                  .jsonPath("$.components.streams.status")
                  .isEqualTo("UP");
            });
  }

  private static Trade trade(String symbol, String price) {
    return new Trade(
        symbol, new BigDecimal(price), 1, Instant.now(), "s-" + SEQ.incrementAndGet(), "test");
  }

  private static ProducerRecord<byte[], byte[]> record(Trade t) {
    return new ProducerRecord<>(
        INFRA.trades, t.symbol().getBytes(StandardCharsets.UTF_8), new TradeCodec().encode(t));
  }

  private Flux<ServerSentEvent<String>> sse(String uri, String lastEventId) {
    return SseRequests.open(client, uri, lastEventId);
  }

  private void awaitClients(Channel c, String transport, int n) {
    await().atMost(Duration.ofSeconds(10)).until(() -> metrics.clients(c, transport) >= n);
  }

  @Test
  void sseDeliversExactlyTheFilteredTradesAndResumesFromLastEventId() {
    int before = metrics.clients(Channel.TRADES, "sse");
    List<Trade> tsla =
        List.of(trade("TSLA", "250.01"), trade("TSLA", "250.02"), trade("TSLA", "250.03"));
    List<ServerSentEvent<String>> got = new ArrayList<>();
    StepVerifier.create(sse("/stream/trades?symbols=tsla", null).take(3))
        .then(() -> awaitClients(Channel.TRADES, "sse", before + 1))
        .then(
            () ->
                KafkaTestBroker.produce(
                    INFRA.trades,
                    List.of(
                        record(trade("AAPL", "190")),
                        record(tsla.get(0)),
                        record(trade("MSFT", "420")),
                        record(tsla.get(1)),
                        record(tsla.get(2)))))
        .recordWith(() -> got)
        .expectNextCount(3)
        .verifyComplete();
    assertThat(got)
        .extracting(ServerSentEvent::data)
        .containsExactly(
            tsla.stream()
                .map(t -> new String(new TradeCodec().encode(t), StandardCharsets.UTF_8))
                .toArray(String[]::new));
    assertThat(got).allSatisfy(e -> assertThat(e.event()).isEqualTo("trades"));

    // missed while disconnected: replayed on reconnect with Last-Event-ID
    Trade missed1 = trade("TSLA", "251");
    Trade missed2 = trade("TSLA", "252");
    KafkaTestBroker.produce(
        INFRA.trades, List.of(record(missed1), record(trade("AAPL", "1")), record(missed2)));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                latest
                    .get("TSLA")
                    .map(p -> p.price().compareTo(new BigDecimal("252")) == 0)
                    .orElse(false));
    StepVerifier.create(
            sse("/stream/trades?symbols=TSLA", got.get(2).id()).take(2).map(ServerSentEvent::data))
        .expectNext(new String(new TradeCodec().encode(missed1), StandardCharsets.UTF_8))
        .expectNext(new String(new TradeCodec().encode(missed2), StandardCharsets.UTF_8))
        .verifyComplete();
  }

  @Test
  void metricsAndSignalsChannelsCarryTheirContracts() {
    WindowMetrics m =
        new WindowMetrics(
            "AAPL",
            MetricWindow.M1,
            Instant.parse("2026-01-05T14:30:00Z"),
            Instant.parse("2026-01-05T14:31:00Z"),
            new BigDecimal("1"),
            new BigDecimal("2"),
            new BigDecimal("0.5"),
            new BigDecimal("1.5"),
            10,
            new BigDecimal("1.25"),
            3,
            new BigDecimal("1.5"));
    Signal s =
        new Signal(
            "sig-1",
            Signal.Kind.SIGNAL,
            "AAPL",
            "vwap-deviation",
            Signal.Side.BUY,
            new BigDecimal("189.5"),
            "price 2% under VWAP",
            Instant.parse("2026-01-05T14:31:00Z"));
    int metricsBefore = metrics.clients(Channel.METRICS, "sse");
    StepVerifier.create(
            sse("/stream/metrics?symbols=AAPL", null).take(1).map(ServerSentEvent::data))
        .then(() -> awaitClients(Channel.METRICS, "sse", metricsBefore + 1))
        .then(
            () ->
                KafkaTestBroker.produce(
                    INFRA.metrics,
                    List.of(
                        new ProducerRecord<>(
                            INFRA.metrics,
                            "AAPL".getBytes(StandardCharsets.UTF_8),
                            new WindowMetricsCodec().encode(m)))))
        .expectNext(new String(new WindowMetricsCodec().encode(m), StandardCharsets.UTF_8))
        .verifyComplete();
    int signalsBefore = metrics.clients(Channel.SIGNALS, "sse");
    StepVerifier.create(sse("/stream/signals", null).take(1).map(ServerSentEvent::data))
        .then(() -> awaitClients(Channel.SIGNALS, "sse", signalsBefore + 1))
        .then(
            () ->
                KafkaTestBroker.produce(
                    INFRA.signals,
                    List.of(
                        new ProducerRecord<>(
                            INFRA.signals,
                            "AAPL".getBytes(StandardCharsets.UTF_8),
                            new SignalCodec().encode(s)))))
        .expectNext(new String(new SignalCodec().encode(s), StandardCharsets.UTF_8))
        .verifyComplete();
  }

  @Test
  void unknownSymbolFilterIsAProblem() {
    // an EventSource (Accept: text/event-stream only) gets the status; curl (*/*) the problem body
    client
        .get()
        .uri("/stream/trades?symbols=NOPE")
        .accept(MediaType.TEXT_EVENT_STREAM)
        .exchange()
        .expectStatus()
        .isNotFound();
    client
        .get()
        .uri("/stream/trades?symbols=NOPE")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo("https://papertape.dev/problems/unknown-symbol");
  }

  @Test
  void webSocketSubscribesFiltersUnsubscribesAndAnswersBadMessagesWithoutClosing() {
    Sinks.Many<String> toServer = Sinks.many().unicast().onBackpressureBuffer();
    List<String> received = new CopyOnWriteArrayList<>();
    int before = metrics.clients(Channel.TRADES, "websocket");
    Trade msft = trade("MSFT", "421.5");
    var connection =
        new ReactorNettyWebSocketClient()
            .execute(
                URI.create("ws://localhost:" + port + "/ws/stream"),
                session ->
                    session
                        .send(toServer.asFlux().map(session::textMessage))
                        .and(
                            session
                                .receive()
                                .map(WebSocketMessage::getPayloadAsText)
                                .doOnNext(received::add)))
            .subscribe();
    try {
      toServer.tryEmitNext("{\"op\":\"subscribe\",\"channel\":\"trades\",\"symbols\":[\"msft\"]}");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> received.stream().anyMatch(m -> m.contains("\"subscribed\"")));
      assertThat(received.get(0))
          .isEqualTo("{\"type\":\"subscribed\",\"channel\":\"trades\",\"symbols\":[\"MSFT\"]}");
      awaitClients(Channel.TRADES, "websocket", before + 1);
      KafkaTestBroker.produce(INFRA.trades, List.of(record(trade("AAPL", "191")), record(msft)));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> received.stream().anyMatch(m -> m.contains("\"event\"")));

      toServer.tryEmitNext("hello");
      toServer.tryEmitNext("{\"op\":\"subscribe\",\"channel\":\"quotes\"}");
      toServer.tryEmitNext("{\"op\":\"subscribe\",\"channel\":\"trades\",\"symbols\":[\"NOPE\"]}");
      toServer.tryEmitNext("{\"op\":\"dance\",\"channel\":\"trades\"}");
      toServer.tryEmitNext("{\"op\":\"unsubscribe\",\"channel\":\"trades\"}");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> received.stream().anyMatch(m -> m.contains("\"unsubscribed\"")));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> metrics.clients(Channel.TRADES, "websocket") == before);

      List<String> events =
          received.stream().filter(m -> m.contains("\"type\":\"event\"")).toList();
      assertThat(events).hasSize(1);
      assertThat(events.get(0))
          .startsWith("{\"type\":\"event\",\"channel\":\"trades\",\"id\":\"")
          .endsWith(
              ",\"data\":"
                  + new String(new TradeCodec().encode(msft), StandardCharsets.UTF_8)
                  + "}");
      assertThat(received.stream().filter(m -> m.contains("\"type\":\"error\"")).toList())
          .hasSize(4)
          .anySatisfy(m -> assertThat(m).contains("\"error\":\"malformed-message\""))
          .anySatisfy(
              m ->
                  assertThat(m)
                      .contains("\"error\":\"unknown-channel\"")
                      .contains("'quotes' is not a channel"))
          .anySatisfy(m -> assertThat(m).contains("\"error\":\"unknown-symbol\""))
          .anySatisfy(m -> assertThat(m).contains("\"error\":\"unknown-op\""));
    } finally {
      connection.dispose();
    }
  }

  @Test
  void aStalledClientDoesNotDelayAHealthyOne() throws Exception {
    int before = metrics.clients(Channel.TRADES, "sse");
    double droppedBefore = metrics.droppedCount(Channel.TRADES, "sse");
    try (Socket stalled = new Socket("localhost", port)) {
      stalled.setReceiveBufferSize(4096);
      OutputStream out = stalled.getOutputStream();
      out.write(
          ("GET /stream/trades HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush(); // ... and never read a byte
      awaitClients(Channel.TRADES, "sse", before + 1);

      List<Trade> noise = new ArrayList<>();
      for (int i = 0; i < 40_000; i++) {
        noise.add(trade("AAPL", "190." + (i % 100)));
      }
      List<Trade> markers =
          List.of(trade("GOOGL", "175.01"), trade("GOOGL", "175.02"), trade("GOOGL", "175.03"));
      StepVerifier.create(
              sse("/stream/trades?symbols=GOOGL", null).take(3).map(ServerSentEvent::data))
          .then(() -> awaitClients(Channel.TRADES, "sse", before + 2))
          .then(
              () -> {
                List<ProducerRecord<byte[], byte[]>> all = new ArrayList<>();
                noise.forEach(t -> all.add(record(t)));
                markers.forEach(t -> all.add(record(t)));
                KafkaTestBroker.produce(INFRA.trades, all);
              })
          .expectNext(new String(new TradeCodec().encode(markers.get(0)), StandardCharsets.UTF_8))
          .expectNext(new String(new TradeCodec().encode(markers.get(1)), StandardCharsets.UTF_8))
          .expectNext(new String(new TradeCodec().encode(markers.get(2)), StandardCharsets.UTF_8))
          .expectComplete()
          .verify(Duration.ofSeconds(60));
      // the stalled client's own bounded buffer overflowed: its oldest events were dropped
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> metrics.droppedCount(Channel.TRADES, "sse") > droppedBefore);
    }
  }
}
