package dev.papertape.model;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A strategy signal or a fired alert rule: the {@code price-alerts} topic and the {@code signals}
 * table.
 *
 * @param id unique id of this signal, 1-{@value #MAX_ID} characters of {@link TextFields text}
 * @param kind {@link Kind#SIGNAL} from a strategy, {@link Kind#ALERT} from an alert rule
 * @param source the strategy or rule id that fired, 1-{@value #MAX_SOURCE} characters of {@link
 *     TextFields text}
 * @param side {@code BUY}/{@code SELL} for trading signals, {@code null} for alerts
 * @param price the price that triggered it
 * @param reason a human sentence: why it fired; {@code null} or 1-{@value #MAX_REASON} characters
 *     of {@link TextFields text}
 * @param ts event time of the triggering data, in the range of {@link Trade#ts()}
 */
public record Signal(
    String id,
    Kind kind,
    String symbol,
    String source,
    Side side,
    BigDecimal price,
    String reason,
    Instant ts) {

  /** What produced the signal. */
  public enum Kind {
    SIGNAL,
    ALERT;

    static Kind parse(String v) {
      for (Kind k : values()) {
        if (k.name().equals(v)) {
          return k;
        }
      }
      throw new InvalidRecordException(
          "kind", TextFields.quote(v) + " is not a kind; accepted: SIGNAL, ALERT");
    }
  }

  /** Trade direction. */
  public enum Side {
    BUY,
    SELL;

    /** Parses {@code BUY}/{@code SELL} (any case); never returns {@code null}. */
    public static Side parse(String field, String v) {
      for (Side s : values()) {
        if (s.name().equalsIgnoreCase(TextFields.trimmedIfClean(v))) {
          return s;
        }
      }
      throw new InvalidRecordException(
          field, TextFields.quote(v) + " is not a side; accepted: BUY, SELL");
    }
  }

  /** Longest {@code id}; its characters follow {@link TextFields}. */
  public static final int MAX_ID = 128;

  /** Longest {@code source}; its characters follow {@link TextFields}. */
  public static final int MAX_SOURCE = 64;

  /** Longest {@code reason}; its characters follow {@link TextFields}. */
  public static final int MAX_REASON = 500;

  public Signal {
    id = TextFields.check("id", id, MAX_ID);
    if (kind == null) {
      throw new InvalidRecordException("kind", "is missing");
    }
    symbol = Symbols.normalize("symbol", symbol);
    source = TextFields.check("source", source, MAX_SOURCE);
    price = Prices.canonical("price", price);
    reason = TextFields.checkOptional("reason", reason, MAX_REASON);
    if (ts == null) {
      throw new InvalidRecordException("ts", "is missing");
    }
    if (ts.isBefore(Trade.MIN_TS) || !ts.isBefore(Trade.MAX_TS)) {
      throw new InvalidRecordException(
          "ts",
          Timestamps.describe(ts) + " is outside the accepted range [1970-01-01, 2100-01-01)");
    }
  }
}
