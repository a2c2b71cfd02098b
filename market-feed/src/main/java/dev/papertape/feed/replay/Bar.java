package dev.papertape.feed.replay;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One OHLCV bar of a bars file.
 *
 * @param symbol canonical ticker
 * @param start the bar's open time (the start of its interval)
 * @param open first price
 * @param high highest price
 * @param low lowest price
 * @param close last price
 * @param volume shares traded in the bar, at least 0
 * @param line the file line it came from (1-based)
 */
public record Bar(
    String symbol,
    Instant start,
    BigDecimal open,
    BigDecimal high,
    BigDecimal low,
    BigDecimal close,
    long volume,
    int line) {}
