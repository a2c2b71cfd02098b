package dev.papertape.model;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A strategy signal or a fired alert rule: the {@code price-alerts} topic and the {@code signals}
 * table.
 *
 * @param id unique id of this signal
 * @param kind {@link Kind#SIGNAL} from a strategy, {@link Kind#ALERT} from an alert rule
 * @param source the strategy or rule id that fired
 * @param side {@code BUY}/{@code SELL} for trading signals, {@code null} for alerts
 * @param price the price that triggered it
 * @param reason a human sentence: why it fired
 * @param ts event time of the triggering data
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
          "kind", "'" + v + "' is not a kind; accepted: SIGNAL, ALERT");
    }
  }

  /** Trade direction. */
  public enum Side {
    BUY,
    SELL;

    /** Parses {@code BUY}/{@code SELL} (any case); never returns {@code null}. */
    public static Side parse(String field, String v) {
      for (Side s : values()) {
        if (s.name().equalsIgnoreCase(v == null ? "" : v.trim())) {
          return s;
        }
      }
      throw new InvalidRecordException(field, "'" + v + "' is not a side; accepted: BUY, SELL");
    }
  }

  public Signal {
    symbol = Symbols.normalize("symbol", symbol);
    price = Prices.canonical("price", price);
    if (id == null || id.isBlank()) {
      throw new InvalidRecordException("id", "is missing");
    }
    if (kind == null) {
      throw new InvalidRecordException("kind", "is missing");
    }
    if (source == null || source.isBlank()) {
      throw new InvalidRecordException("source", "is missing");
    }
    if (ts == null) {
      throw new InvalidRecordException("ts", "is missing");
    }
  }
}
