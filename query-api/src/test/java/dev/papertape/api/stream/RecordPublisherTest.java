package dev.papertape.api.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.api.config.ClockProperties;
import dev.papertape.api.market.LatestPrices;
import dev.papertape.model.Trade;
import dev.papertape.model.TradeCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** One record at a time: published, or counted and skipped, whatever it holds; never thrown. */
class RecordPublisherTest {
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final StreamMetrics metrics = new StreamMetrics(registry);
  private final StreamHub hub = hub();
  private final LatestPrices prices =
      new LatestPrices(
          Clock.fixed(NOW, ZoneOffset.UTC), new ClockProperties(Duration.ofSeconds(5)), registry);
  private final AtomicLong nanos = new AtomicLong();
  private long offset;

  private StreamHub hub() {
    return new StreamHub(
        new StreamProperties(
            "trades",
            "metrics",
            "signals",
            16,
            100,
            Duration.ofSeconds(15),
            1,
            1,
            Duration.ofSeconds(1),
            Duration.ofSeconds(30)),
        metrics);
  }

  private ConsumerRecord<byte[], byte[]> record(byte[] value) {
    return new ConsumerRecord<>("trades", 0, offset++, null, value);
  }

  private double skipped(String reason) {
    Counter c =
        registry
            .find("papertape.stream.records.invalid")
            .tags("channel", "trades", "reason", reason)
            .counter();
    return c == null ? 0 : c.count();
  }

  private long published() {
    return hub.resumePoint(Channel.TRADES, null).after();
  }

  private RecordPublisher trades(RecordPublisher.Decoder decoder) {
    return new RecordPublisher(Channel.TRADES, decoder, hub, metrics, prices, nanos::get);
  }

  private static byte[] trade(String price, Instant ts) {
    return new TradeCodec()
        .encode(new Trade("AAPL", new BigDecimal(price), 1, ts, "t-" + price, "test"));
  }

  @Test
  void anyExceptionWhileReadingARecordIsCountedAndSkipped() {
    List<RuntimeException> failures =
        List.of(
            new NegativeArraySizeException("-2147483639"),
            new ArithmeticException("Overflow"),
            new NumberFormatException("Too many nonzero exponent digits."),
            new IllegalStateException("cannot publish"),
            new NullPointerException());
    for (RuntimeException e : failures) {
      assertThat(
              trades(
                      r -> {
                        throw e;
                      })
                  .handle(record(new byte[] {1})))
          .isFalse();
    }
    assertThat(
            trades(
                    r -> {
                      throw new StackOverflowError();
                    })
                .handle(record(new byte[] {1})))
        .isFalse();
    assertThat(skipped("error")).isEqualTo(failures.size() + 1);
    assertThat(published()).isZero();
  }

  @Test
  void hostileBytesAreCountedAsInvalidAndTheNextGoodRecordIsPublished() {
    RecordPublisher p =
        new RecordPublisher(
            Channel.TRADES,
            RecordPublisher.decoder(Channel.TRADES),
            hub,
            metrics,
            prices,
            nanos::get);
    String good = new String(trade("101.25", NOW), StandardCharsets.UTF_8);
    List<byte[]> hostile = new ArrayList<>();
    for (String n : List.of("1e2147483647", "1e-2147483647", "-1e2147483647", "9".repeat(60_000))) {
      hostile.add(good.replace("101.25", n).getBytes(StandardCharsets.UTF_8));
    }
    hostile.add(good.replace("AAPL", "AAPL\\u0000").getBytes(StandardCharsets.UTF_8));
    hostile.add(good.replace("AAPL", "AA\u0000PL").getBytes(StandardCharsets.UTF_8));
    hostile.add("[".repeat(50_000).getBytes(StandardCharsets.UTF_8));
    hostile.add(new byte[0]);
    hostile.add(null);
    Random random = new Random(42);
    for (int i = 0; i < 200; i++) {
      byte[] b = new byte[random.nextInt(300)];
      random.nextBytes(b);
      hostile.add(b);
    }
    for (byte[] h : hostile) {
      assertThat(p.handle(record(h))).isFalse();
    }
    assertThat(skipped("invalid") + skipped("error")).isEqualTo(hostile.size());
    assertThat(published()).isZero();

    assertThat(p.handle(record(good.getBytes(StandardCharsets.UTF_8)))).isTrue();
    assertThat(published()).isEqualTo(1);
    assertThat(prices.get("AAPL").orElseThrow().price()).isEqualByComparingTo("101.25");
  }

  @Test
  void aTradeFromTheFutureIsNeitherPublishedNorThePrice() {
    RecordPublisher p =
        new RecordPublisher(
            Channel.TRADES,
            RecordPublisher.decoder(Channel.TRADES),
            hub,
            metrics,
            prices,
            nanos::get);
    assertThat(p.handle(record(trade("100", NOW.minusSeconds(1))))).isTrue();
    assertThat(p.handle(record(trade("10", Instant.parse("2099-06-01T00:00:00Z"))))).isFalse();
    assertThat(p.handle(record(trade("11", NOW.plusSeconds(5).plusMillis(1))))).isFalse();
    // within the allowed skew: taken
    assertThat(p.handle(record(trade("12", NOW.plusSeconds(5))))).isTrue();
    assertThat(skipped("future")).isEqualTo(2);
    assertThat(published()).isEqualTo(2);
    assertThat(prices.get("AAPL").orElseThrow().price()).isEqualByComparingTo("12");
  }

  @Test
  void warningsAreRateLimitedPerChannel() {
    RecordPublisher p =
        trades(
            r -> {
              throw new IllegalStateException("boom");
            });
    for (int i = 0; i < 1000; i++) {
      p.handle(record(new byte[] {1}));
    }
    assertThat(p.warnings()).isEqualTo(1);
    nanos.addAndGet(RecordPublisher.WARN_INTERVAL.toNanos() - 1);
    p.handle(record(new byte[] {1}));
    assertThat(p.warnings()).isEqualTo(1);
    nanos.addAndGet(1);
    p.handle(record(new byte[] {1}));
    assertThat(p.warnings()).isEqualTo(2);
    assertThat(skipped("error")).isEqualTo(1002);
  }
}
