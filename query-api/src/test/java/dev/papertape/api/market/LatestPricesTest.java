package dev.papertape.api.market;

import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.api.config.ClockProperties;
import dev.papertape.model.Trade;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LatestPricesTest {
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final LatestPrices prices =
      new LatestPrices(
          Clock.fixed(NOW, ZoneOffset.UTC), new ClockProperties(Duration.ofSeconds(5)), registry);

  private static Trade trade(String price, Instant ts) {
    return new Trade("AAPL", new BigDecimal(price), 1, ts, "t-" + price, "test");
  }

  @Test
  void theNewestTradeUpToTheAllowedSkewIsThePrice() {
    assertThat(prices.update(trade("1", NOW.minusSeconds(60)))).isTrue();
    assertThat(prices.update(trade("2", NOW))).isTrue();
    assertThat(prices.update(trade("3", NOW.minusSeconds(1)))).isTrue(); // late: not newer
    assertThat(prices.get("AAPL").orElseThrow().price()).isEqualByComparingTo("2");
    assertThat(prices.update(trade("4", NOW.plusSeconds(5)))).isTrue();
    assertThat(prices.get("AAPL").orElseThrow().price()).isEqualByComparingTo("4");
  }

  @Test
  void aTradeFromTheFutureIsIgnoredAndCounted() {
    prices.update(trade("2", NOW));
    assertThat(prices.update(trade("10", Instant.parse("2099-06-01T00:00:00Z")))).isFalse();
    assertThat(prices.update(trade("11", NOW.plusSeconds(5).plusMillis(1)))).isFalse();
    assertThat(prices.get("AAPL").orElseThrow().price()).isEqualByComparingTo("2");
    assertThat(registry.get("papertape.prices.future.ignored").counter().count()).isEqualTo(2);
    assertThat(prices.get("MSFT")).isEmpty();
  }
}
