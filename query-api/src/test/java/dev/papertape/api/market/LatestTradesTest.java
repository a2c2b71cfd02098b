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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/** The latest trade keeps its id, and every taken trade (none from the future) is passed on. */
class LatestTradesTest {
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  private final LatestPrices prices =
      new LatestPrices(
          Clock.fixed(NOW, ZoneOffset.UTC),
          new ClockProperties(Duration.ofSeconds(5)),
          new SimpleMeterRegistry());

  private static Trade trade(String id, Instant ts) {
    return new Trade("AAPL", new BigDecimal("10"), 1, ts, id, "test");
  }

  @Test
  void theLatestTradeNamesItselfAndEveryTakenTradeIsPublished() {
    List<Trade> seen = new ArrayList<>();
    Disposable d = prices.trades().subscribe(seen::add);
    prices.update(trade("a", NOW.minusSeconds(2)));
    prices.update(trade("b", NOW));
    prices.update(trade("late", NOW.minusSeconds(1)));
    prices.update(trade("future", NOW.plusSeconds(60)));
    d.dispose();
    assertThat(prices.latestTrade("AAPL").orElseThrow().tradeId()).isEqualTo("b");
    assertThat(prices.get("AAPL").orElseThrow().ts()).isEqualTo(NOW);
    assertThat(seen).extracting(Trade::tradeId).containsExactly("a", "b", "late");
    assertThat(prices.latestTrade("MSFT")).isEmpty();
  }
}
