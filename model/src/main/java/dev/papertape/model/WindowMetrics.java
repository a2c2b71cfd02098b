package dev.papertape.model;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Market metrics of one symbol over one tumbling event-time window: the {@code aggregated-metrics}
 * topic and the {@code aggregated_metrics} table.
 *
 * <p>{@code vwap} = Σ price·size / Σ size, rounded per {@link Prices#round}; {@code priceRange} =
 * high − low; {@code open}/{@code close} are the prices of the earliest/latest trade by event time.
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
    BigDecimal priceRange) {}
