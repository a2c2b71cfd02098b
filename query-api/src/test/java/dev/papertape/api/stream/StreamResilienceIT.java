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
import dev.papertape.testing.TestDatabase;
import dev.papertape.testing.TradeFixtures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * The live streams on the real stack (in-JVM Kafka, test TimescaleDB) under hostile input and
 * failure: a bad record never stops a channel, a failed consumer shows on the health endpoints and
 * comes back where it was, and a resuming client gets every event the server still holds. The
 * client buffer is the production default (1024).
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "papertape.stream.client-buffer=1024",
      "papertape.stream.replay=10000",
      "papertape.stream.restart-backoff=200ms",
      "papertape.stream.restart-backoff-max=1s"
    })
@AutoConfigureWebTestClient(timeout = "60s")
class StreamResilienceIT {
  static final RealInfrastructure INFRA = new RealInfrastructure();
  static final String SYM = TradeFixtures.uniqueSymbol("R");
  static final AtomicLong SEQ = new AtomicLong();

  @Autowired WebTestClient client;
  @Autowired StreamMetrics metrics;
  @Autowired LatestPrices latest;
  @Autowired ChannelConsumers consumers;
  @Autowired StreamHub hub;
  @Autowired MeterRegistry registry;
  @LocalServerPort int port;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry r) {
    INFRA.register(r);
    TestDatabase.execute(
        "INSERT INTO symbols (symbol, name) VALUES ('" + SYM + "', 'Resilience Test')");
  }

  @BeforeEach
  void streamsAttached() {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> client.get().uri("/healthz").exchange().expectStatus().isOk());
  }

  private static Trade trade(String price, Instant ts) {
    return new Trade(SYM, new BigDecimal(price), 1, ts, "r-" + SEQ.incrementAndGet(), "test");
  }

  private static String json(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /** On partition 0, so that the records are read in the order they are given. */
  private static ProducerRecord<byte[], byte[]> onPartition0(String topic, byte[] value) {
    return new ProducerRecord<>(topic, 0, SYM.getBytes(StandardCharsets.UTF_8), value);
  }

  private static ProducerRecord<byte[], byte[]> onPartition0(String topic, String value) {
    return onPartition0(topic, value.getBytes(StandardCharsets.UTF_8));
  }

  private Flux<ServerSentEvent<String>> sse(String uri, String lastEventId) {
    return SseRequests.open(client, uri, lastEventId);
  }

  private void awaitClients(Channel c, int n) {
    await().atMost(Duration.ofSeconds(10)).until(() -> metrics.clients(c, "sse") >= n);
  }

  private double counted(String meter, Channel c) {
    return registry.find(meter).tag("channel", c.label()).counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  /**
   * Records no codec can turn into an event, built from a good one: huge and tiny exponents, a
   * 60,000-digit number, U+0000 escaped and raw, seeded random bytes, deep nesting, wrong types, an
   * empty and a null value.
   */
  private static List<byte[]> hostile(String good, String numberField) {
    String number = "\"" + numberField + "\":";
    int at = good.indexOf(number) + number.length();
    int end = at;
    while (end < good.length() && "0123456789.-".indexOf(good.charAt(end)) >= 0) {
      end++;
    }
    String before = good.substring(0, at);
    String after = good.substring(end);
    Function<String, byte[]> withNumber =
        n -> (before + n + after).getBytes(StandardCharsets.UTF_8);
    byte[] random = new byte[512];
    new Random(12).nextBytes(random);
    List<byte[]> out = new ArrayList<>();
    out.add(withNumber.apply("1e2147483647"));
    out.add(withNumber.apply("1e-2147483647"));
    out.add(withNumber.apply("-1e2147483647"));
    out.add(withNumber.apply("9".repeat(60_000)));
    out.add(withNumber.apply("\"1\""));
    out.add(good.replace("\"symbol\":\"", "\"symbol\":\"\\u0000").getBytes(StandardCharsets.UTF_8));
    out.add(good.replace("\"symbol\":\"", "\"symbol\":\"\u0000").getBytes(StandardCharsets.UTF_8));
    out.add(random);
    out.add("[".repeat(50_000).getBytes(StandardCharsets.UTF_8));
    out.add("{\"symbol\":{\"a\":[1,2,3]}}".getBytes(StandardCharsets.UTF_8));
    out.add(new byte[0]);
    out.add(null);
    return out;
  }

  /** Hostile records, then a good one: the SSE client gets exactly the good one. */
  private void hostileThenGood(Channel c, String topic, List<byte[]> hostile, String good) {
    int before = metrics.clients(c, "sse");
    double invalidBefore = counted("papertape.stream.records.invalid", c);
    StepVerifier.create(
            sse("/stream/" + c.label() + "?symbols=" + SYM, null)
                .take(1)
                .map(ServerSentEvent::data))
        .then(() -> awaitClients(c, before + 1))
        .then(
            () -> {
              List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
              hostile.forEach(h -> records.add(onPartition0(topic, h)));
              records.add(onPartition0(topic, good));
              KafkaTestBroker.produce(topic, records);
            })
        .expectNext(good)
        .expectComplete()
        .verify(Duration.ofSeconds(60));
    assertThat(counted("papertape.stream.records.invalid", c) - invalidBefore)
        .isEqualTo(hostile.size());
  }

  @Test
  void hostileTradesNeverStopTheStreamNorBecomeThePrice() {
    // the newest trade of the symbol so far, so it becomes the latest price
    String good = json(new TradeCodec().encode(trade("101.25", Instant.now())));
    List<byte[]> hostile = hostile(good, "price");
    // a valid trade from the far future: rejected, never the latest price
    hostile.add(new TradeCodec().encode(trade("10", Instant.parse("2099-06-01T00:00:00Z"))));
    hostileThenGood(Channel.TRADES, INFRA.trades, hostile, good);

    assertThat(latest.get(SYM).orElseThrow().price()).isEqualByComparingTo("101.25");
    client
        .get()
        .uri("/symbols/" + SYM + "/price")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.price")
        .isEqualTo(101.25)
        .jsonPath("$.source")
        .isEqualTo("stream")
        .jsonPath("$.ageMillis")
        .value(age -> assertThat(((Number) age).longValue()).isNotNegative());
  }

  @Test
  void hostileMetricsNeverStopTheStream() {
    WindowMetrics m =
        new WindowMetrics(
            SYM,
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
    String good = json(new WindowMetricsCodec().encode(m));
    hostileThenGood(Channel.METRICS, INFRA.metrics, hostile(good, "vwap"), good);
  }

  @Test
  void hostileSignalsNeverStopTheStream() {
    Signal s =
        new Signal(
            "sig-r",
            Signal.Kind.SIGNAL,
            SYM,
            "vwap-deviation",
            Signal.Side.BUY,
            new BigDecimal("189.5"),
            "price 2% under VWAP",
            Instant.parse("2026-01-05T14:31:00Z"));
    String good = json(new SignalCodec().encode(s));
    hostileThenGood(Channel.SIGNALS, INFRA.signals, hostile(good, "price"), good);
  }

  private void awaitHealth(boolean up) {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              client
                  .get()
                  .uri("/healthz")
                  .exchange()
                  .expectStatus()
                  .isEqualTo(up ? 200 : 503)
                  .expectBody()
                  .json(up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
              client
                  .get()
                  .uri("/actuator/health")
                  .exchange()
                  .expectBody()
                  .jsonPath("$.components.streams.status")
                  .isEqualTo(up ? "UP" : "DOWN");
              client
                  .get()
                  .uri("/actuator/health/readiness")
                  .exchange()
                  .expectStatus()
                  .isEqualTo(up ? 200 : 503);
            });
  }

  /**
   * Makes the trades consumer fail with {@code failure} until it was restarted (and failed) twice,
   * produces {@code whileDown} meanwhile, then lets it recover.
   */
  private void failTradesConsumer(Throwable failure, Trade whileDown) {
    double failuresBefore = counted("papertape.stream.consumer.failures", Channel.TRADES);
    consumers.failForTest(Channel.TRADES, failure);
    awaitHealth(false);
    // restarted with back-off, failing again: every failure counted
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                counted("papertape.stream.consumer.failures", Channel.TRADES)
                    >= failuresBefore + 2);
    KafkaTestBroker.produce(INFRA.trades, records(List.of(whileDown)));
    consumers.failForTest(Channel.TRADES, null);
    awaitHealth(true);
  }

  @Test
  void aFailedConsumerShowsDownOnHealthAndComesBackWhereItWas() {
    int before = metrics.clients(Channel.TRADES, "sse");
    Trade afterException = trade("77.5", Instant.now());
    Trade afterError = trade("78.5", Instant.now());
    try {
      StepVerifier.create(
              sse("/stream/trades?symbols=" + SYM, null).take(2).map(ServerSentEvent::data))
          .then(() -> awaitClients(Channel.TRADES, before + 1))
          // an exception in the consumer, then an Error that ends its thread
          .then(
              () ->
                  failTradesConsumer(
                      new IllegalStateException("consumer failure injected by a test"),
                      afterException))
          // produced while the consumer was down: read after the restart, from where it was
          .expectNext(json(new TradeCodec().encode(afterException)))
          .then(
              () ->
                  failTradesConsumer(
                      new AssertionError("thread-ending error injected by a test"), afterError))
          .expectNext(json(new TradeCodec().encode(afterError)))
          .expectComplete()
          .verify(Duration.ofSeconds(180));
    } finally {
      consumers.failForTest(Channel.TRADES, null);
    }
  }

  private static List<ProducerRecord<byte[], byte[]>> records(List<Trade> trades) {
    return trades.stream()
        .map(t -> onPartition0(INFRA.trades, new TradeCodec().encode(t)))
        .toList();
  }

  /** Waits until the hub has published {@code n} more trades events than {@code from}. */
  private void awaitPublished(long from, int n) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> hub.resumePoint(Channel.TRADES, null).after() >= from + n);
  }

  @Test
  void aResumingClientGetsEveryOneOf5000MissedEventsThroughItsBufferOf1024() throws Exception {
    int before = metrics.clients(Channel.TRADES, "sse");
    double droppedBefore = metrics.droppedCount(Channel.TRADES, "sse");
    Trade marker = trade("1", Instant.now());
    List<ServerSentEvent<String>> first = new ArrayList<>();
    StepVerifier.create(sse("/stream/trades?symbols=" + SYM, null).take(1))
        .then(() -> awaitClients(Channel.TRADES, before + 1))
        .then(() -> KafkaTestBroker.produce(INFRA.trades, records(List.of(marker))))
        .recordWith(() -> first)
        .expectNextCount(1)
        .verifyComplete();
    String lastSeen = first.get(0).id();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> metrics.clients(Channel.TRADES, "sse") == before);

    // 5,000 events while the client is away (from an hour ago: never from the future)
    Instant t0 = Instant.now().minusSeconds(3600);
    List<Trade> missed = new ArrayList<>();
    for (int i = 1; i <= 5000; i++) {
      missed.add(trade(i + ".5", t0.plusMillis(i)));
    }
    long published = hub.resumePoint(Channel.TRADES, null).after();
    KafkaTestBroker.produce(INFRA.trades, records(missed));
    awaitPublished(published, 5000);

    // it comes back and reads nothing at first, so its socket fills up: the backlog is read from
    // the replay ring at the client's pace, never through its 1,024-event buffer. (Events
    // published while a caught-up client stalls go through that buffer by design, and may drop.)
    List<String> ids = new ArrayList<>();
    List<String> data = new ArrayList<>();
    try (SlowSseClient slow = new SlowSseClient(port, "/stream/trades?symbols=" + SYM, lastSeen)) {
      awaitClients(Channel.TRADES, before + 1);
      Thread.sleep(1_000);
      // then reads: every one of the 5,000, in order, once
      slow.read(5000, ids, data);
    }
    // ids count every event of the channel (another test's trades may interleave): each of ours
    // arrives once, in order, with no 'missed' notice and no drop
    assertThat(ids).hasSize(5000);
    assertThat(ids.stream().mapToLong(id -> Long.parseLong(id.substring(id.indexOf('-') + 1))))
        .isSorted()
        .doesNotHaveDuplicates()
        .allMatch(n -> n > Long.parseLong(lastSeen.substring(lastSeen.indexOf('-') + 1)));
    assertThat(data)
        .containsExactlyElementsOf(
            missed.stream().map(t -> json(new TradeCodec().encode(t))).toList());
    assertThat(metrics.droppedCount(Channel.TRADES, "sse")).isEqualTo(droppedBefore);
  }

  /**
   * An SSE client on a raw socket with a small receive buffer that reads nothing until {@link
   * #read} is called: the server cannot write to it meanwhile.
   */
  private static final class SlowSseClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;

    SlowSseClient(int port, String path, String lastEventId) throws IOException {
      socket = new Socket();
      socket.setReceiveBufferSize(4096);
      socket.setSoTimeout(120_000); // a guard: the test ends once every event has arrived
      socket.connect(new InetSocketAddress("127.0.0.1", port));
      socket
          .getOutputStream()
          .write(
              ("GET "
                      + path
                      + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
                      + "Last-Event-ID: "
                      + lastEventId
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      in = new BufferedInputStream(socket.getInputStream());
    }

    private String line(InputStream s) throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      for (int c = s.read(); c != '\n'; c = s.read()) {
        if (c < 0) {
          throw new EOFException("connection closed");
        }
        b.write(c);
      }
      return b.toString(StandardCharsets.UTF_8).stripTrailing();
    }

    /** Reads the response up to the event {@code lastId}, collecting ids and data. */
    /** Reads events until {@code count} have arrived (the socket's timeout bounds the wait). */
    void read(int count, List<String> ids, List<String> data) throws IOException {
      assertThat(line(in)).startsWith("HTTP/1.1 200");
      boolean chunked = false;
      for (String h = line(in); !h.isEmpty(); h = line(in)) {
        chunked |= h.equalsIgnoreCase("transfer-encoding: chunked");
      }
      InputStream body = chunked ? new Dechunked(in) : in;
      // heartbeats keep the socket busy, so its timeout alone never ends a wait for events that
      // do not come: a deadline does
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (data.size() < count || data.size() < ids.size()) {
        assertThat(System.nanoTime() - deadline)
            .as("%s of %s events arrived within 120 s", data.size(), count)
            .isNegative();
        String l = line(body);
        if (l.startsWith("id:")) {
          ids.add(l.substring(3));
        } else if (l.startsWith("data:")) {
          data.add(l.substring(5));
        }
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** The body of an HTTP/1.1 chunked response. */
  private static final class Dechunked extends InputStream {
    private final InputStream in;
    private long left;

    Dechunked(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      if (left == 0) {
        StringBuilder size = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
          if (c < 0) {
            return -1;
          }
          size.append((char) c);
        }
        String hex = size.toString().trim();
        if (hex.isEmpty()) { // the CRLF after the previous chunk
          return read();
        }
        left = Long.parseLong(hex, 16);
        if (left == 0) {
          return -1;
        }
      }
      left--;
      return in.read();
    }
  }
}
