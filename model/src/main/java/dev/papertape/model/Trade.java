package dev.papertape.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One executed market trade (a tick): the {@code trades} topic and table.
 *
 * @param symbol canonical ticker symbol ({@link Symbols})
 * @param price execution price, exact, canonical ({@link Prices#canonical})
 * @param size shares traded, at least 1
 * @param ts event time, millisecond precision
 * @param tradeId identifier unique per symbol and time; makes writes idempotent; 1-{@value
 *     #MAX_TRADE_ID} characters of {@link TextFields text}
 * @param source where the trade came from ({@code sim}, {@code csv}, an adapter name); 1-{@value
 *     #MAX_SOURCE} characters of {@link TextFields text}
 */
public record Trade(
    String symbol, BigDecimal price, long size, Instant ts, String tradeId, String source) {

  /** Largest accepted size: window volumes (sums of sizes) can never overflow a long. */
  public static final long MAX_SIZE = 1_000_000_000_000L;

  /** Accepted event times: a corrupt far-future or far-past ts would stall the watermark. */
  public static final Instant MIN_TS = Instant.EPOCH;

  public static final Instant MAX_TS = Instant.parse("2100-01-01T00:00:00Z");

  /** Longest {@code tradeId}; its characters follow {@link TextFields}. */
  public static final int MAX_TRADE_ID = 128;

  /** Longest {@code source}; its characters follow {@link TextFields}. */
  public static final int MAX_SOURCE = 64;

  public Trade {
    symbol = Symbols.normalize("symbol", symbol);
    price = Prices.canonical("price", price);
    if (size <= 0) {
      throw new InvalidRecordException("size", "must be a whole number of at least 1, got " + size);
    }
    if (size > MAX_SIZE) {
      throw new InvalidRecordException("size", "must be at most " + MAX_SIZE + ", got " + size);
    }
    if (ts == null) {
      throw new InvalidRecordException("ts", "is missing");
    }
    if (ts.isBefore(MIN_TS) || !ts.isBefore(MAX_TS)) {
      throw new InvalidRecordException(
          "ts",
          Timestamps.describe(ts) + " is outside the accepted range [1970-01-01, 2100-01-01)");
    }
    ts = ts.truncatedTo(ChronoUnit.MILLIS);
    tradeId = TextFields.check("tradeId", tradeId, MAX_TRADE_ID);
    source = TextFields.check("source", source, MAX_SOURCE);
  }

  /** Price times size, exact. */
  public BigDecimal notional() {
    return price.multiply(BigDecimal.valueOf(size));
  }
}
