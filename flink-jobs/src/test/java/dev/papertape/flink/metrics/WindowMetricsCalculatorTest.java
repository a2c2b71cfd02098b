package dev.papertape.flink.metrics;

import static dev.papertape.testing.TradeFixtures.trade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.papertape.model.MetricWindow;
import dev.papertape.model.Trade;
import dev.papertape.model.WindowMetrics;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowMetricsCalculatorTest {
  private static WindowMetrics metricsOf(List<Trade> trades) {
    MetricsAccumulator acc = new MetricsAccumulator();
    trades.forEach(acc::add);
    return WindowMetricsCalculator.metrics("AAPL", MetricWindow.M1, 0, 60_000, acc);
  }

  @Test
  void vwapIsExactThenRoundedOnceHalfUpTo8Places() {
    // Σp·s = 0.1·3 + 0.2·3 + 0.3·1 = 1.2 ; Σs = 7 ; 1.2/7 = 0.171428571428… → 0.17142857
    WindowMetrics m =
        metricsOf(
            List.of(
                trade("AAPL", "0.1", 3, "2026-01-05T00:00:01Z"),
                trade("AAPL", "0.2", 3, "2026-01-05T00:00:02Z"),
                trade("AAPL", "0.3", 1, "2026-01-05T00:00:03Z")));
    assertThat(m.vwap()).isEqualTo(new BigDecimal("0.17142857"));
    assertThat(m.volume()).isEqualTo(7);
    assertThat(m.tradeCount()).isEqualTo(3);
  }

  @Test
  void vwapRoundsAnExactHalfUpLikePostgres() {
    // (0.00000004 + 0.00000005) / 2 = 0.000000045: an exact half at the 9th place; half-up (as
    // PostgreSQL's round) gives 0.00000005, half-even would give 0.00000004
    WindowMetrics m =
        metricsOf(
            List.of(
                trade("AAPL", "0.00000004", 1, "2026-01-05T00:00:01Z"),
                trade("AAPL", "0.00000005", 1, "2026-01-05T00:00:02Z")));
    assertThat(m.vwap()).isEqualTo(new BigDecimal("0.00000005"));
  }

  @Test
  void noFloatingPointDriftOnManyAwkwardDecimals() {
    MetricsAccumulator acc = new MetricsAccumulator();
    for (int i = 0; i < 10_000; i++) {
      acc.add(trade("AAPL", "0.1", 1, "2026-01-05T00:00:01Z"));
    }
    WindowMetrics m = WindowMetricsCalculator.metrics("AAPL", MetricWindow.S1, 0, 1000, acc);
    assertThat(acc.notional).isEqualByComparingTo("1000.0");
    assertThat(m.vwap()).isEqualTo(new BigDecimal("0.1"));
  }

  @Test
  void openAndCloseFollowEventTimeNotArrivalOrder() {
    WindowMetrics m =
        metricsOf(
            List.of(
                trade("AAPL", "101", 10, "2026-01-05T00:00:30Z"),
                trade("AAPL", "99.5", 10, "2026-01-05T00:00:50Z"),
                trade("AAPL", "100", 10, "2026-01-05T00:00:10Z"), // arrives late, is earliest
                trade("AAPL", "102.25", 10, "2026-01-05T00:00:20Z")));
    assertThat(m.open()).isEqualTo(new BigDecimal("100"));
    assertThat(m.close()).isEqualTo(new BigDecimal("99.5"));
    assertThat(m.high()).isEqualTo(new BigDecimal("102.25"));
    assertThat(m.low()).isEqualTo(new BigDecimal("99.5"));
    assertThat(m.priceRange()).isEqualTo(new BigDecimal("2.75"));
    assertThat(m.vwap()).isEqualTo(new BigDecimal("100.6875"));
  }

  @Test
  void mergeEqualsAddingEverythingToOneAccumulator() {
    List<Trade> trades =
        List.of(
            trade("AAPL", "10.01", 5, "2026-01-05T00:00:05Z"),
            trade("AAPL", "10.07", 1, "2026-01-05T00:00:01Z"),
            trade("AAPL", "9.99", 9, "2026-01-05T00:00:09Z"),
            trade("AAPL", "10.03", 2, "2026-01-05T00:00:03Z"));
    MetricsAccumulator a = new MetricsAccumulator().add(trades.get(0)).add(trades.get(1));
    MetricsAccumulator b = new MetricsAccumulator().add(trades.get(2)).add(trades.get(3));
    WindowMetrics merged =
        WindowMetricsCalculator.metrics("AAPL", MetricWindow.M1, 0, 60_000, a.merge(b));
    assertThat(merged).isEqualTo(metricsOf(trades));
    assertThat(new MetricsAccumulator().merge(b)).isSameAs(b);
  }

  @Test
  void anEmptyWindowIsAProgrammingError() {
    assertThatThrownBy(
            () ->
                WindowMetricsCalculator.metrics(
                    "AAPL", MetricWindow.S1, 0, 1000, new MetricsAccumulator()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
