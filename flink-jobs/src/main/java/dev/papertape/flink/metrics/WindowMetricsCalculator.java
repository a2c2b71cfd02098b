package dev.papertape.flink.metrics;

import dev.papertape.model.MetricWindow;
import dev.papertape.model.Prices;
import dev.papertape.model.WindowMetrics;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Turns a window's accumulator into {@link WindowMetrics}. Pure: no Flink types, unit-tested.
 *
 * <p>VWAP = Σ price·size / Σ size, computed exactly and rounded once to {@link Prices#SCALE} places
 * {@link Prices#ROUNDING half-up} (PostgreSQL's {@code round(sum(price*size)/sum(size), 8)} gives
 * the same digits). Price range = high − low, exact.
 */
public final class WindowMetricsCalculator {
  private WindowMetricsCalculator() {}

  public static WindowMetrics metrics(
      String symbol, MetricWindow window, long windowStart, long windowEnd, MetricsAccumulator a) {
    if (a.count == 0) {
      throw new IllegalArgumentException("no trades in window " + window + " of " + symbol);
    }
    BigDecimal vwap =
        Prices.round(
            a.notional.divide(BigDecimal.valueOf(a.volume), Prices.SCALE, Prices.ROUNDING));
    return new WindowMetrics(
        symbol,
        window,
        Instant.ofEpochMilli(windowStart),
        Instant.ofEpochMilli(windowEnd),
        a.open,
        a.high,
        a.low,
        a.close,
        a.volume,
        vwap,
        a.count,
        Prices.round(a.high.subtract(a.low)));
  }
}
