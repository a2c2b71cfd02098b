package dev.papertape.api.portfolio.valuation;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One point of the equity curve: a snapshot, or the last snapshot of a bucket.
 *
 * @param ts the snapshot's interval start, or the bucket's start when downsampled
 * @param totalValue cash + positionsValue, exact to the cent
 */
public record EquityPoint(
    Instant ts, BigDecimal cash, BigDecimal positionsValue, BigDecimal totalValue) {}
