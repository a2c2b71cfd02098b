package dev.papertape.model;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Market metrics of one symbol over one tumbling event-time window: the {@code aggregated-metrics}
 * topic and the {@code aggregated_metrics} table.
 *
 * <p>{@code vwap} = Σ price·size / Σ size, rounded per {@link Prices#round}; {@code priceRange} =
 * high − low; {@code open}/{@code close} are the prices of the earliest/latest trade by event time.
 *
 * <p>An invalid value cannot exist: the symbol is canonical ({@link Symbols}), the five prices are
 * canonical prices ({@link Prices#canonical}), {@code priceRange} is one too or 0, counts are at
 * least 0, and the window lies in the accepted event times ({@link Trade#MIN_TS} ≤ {@code
 * windowStart} &lt; {@code windowEnd}, {@code windowStart} &lt; {@link Trade#MAX_TS}).
 */
public record WindowMetrics(
    String symbol,
    MetricWindow window,
    Instant windowStart,
    Instant windowEnd,
    BigDecimal open,
    BigDecimal high,
    BigDecimal low,
    BigDecimal close,
    long volume,
    BigDecimal vwap,
    long tradeCount,
    BigDecimal priceRange) {

  public WindowMetrics {
    symbol = Symbols.normalize("symbol", symbol);
    if (window == null) {
      throw new InvalidRecordException("window", "is missing");
    }
    if (windowStart == null) {
      throw new InvalidRecordException("windowStart", "is missing");
    }
    if (windowEnd == null) {
      throw new InvalidRecordException("windowEnd", "is missing");
    }
    if (windowStart.isBefore(Trade.MIN_TS) || !windowStart.isBefore(Trade.MAX_TS)) {
      throw new InvalidRecordException(
          "windowStart",
          Timestamps.describe(windowStart)
              + " is outside the accepted range [1970-01-01, 2100-01-01)");
    }
    if (!windowEnd.isAfter(windowStart)) {
      throw new InvalidRecordException(
          "windowEnd",
          Timestamps.describe(windowEnd)
              + " must be after windowStart "
              + Timestamps.describe(windowStart));
    }
    open = Prices.canonical("open", open);
    high = Prices.canonical("high", high);
    low = Prices.canonical("low", low);
    close = Prices.canonical("close", close);
    vwap = Prices.canonical("vwap", vwap);
    priceRange = Prices.canonical("priceRange", priceRange, true);
    if (volume < 0) {
      throw new InvalidRecordException("volume", "must be at least 0, got " + volume);
    }
    if (tradeCount < 0) {
      throw new InvalidRecordException("tradeCount", "must be at least 0, got " + tradeCount);
    }
  }
}
