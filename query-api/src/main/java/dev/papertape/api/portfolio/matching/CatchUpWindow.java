package dev.papertape.api.portfolio.matching;

import dev.papertape.model.Trade;
import java.time.Duration;
import java.time.Instant;

/**
 * Which stored trades of one symbol a catch-up pass offers, pure: those after {@code from} and
 * before {@code until} (both exclusive), in trade-time order (ts, then trade id).
 *
 * <ul>
 *   <li>{@code from}: the latest of the look-back limit ({@code now -
 *       PAPERTAPE_MATCHER_CATCHUP_MAX_ AGE}), the oldest trade the pass is for (the oldest dropped
 *       trade after an overflow; none at start) and the oldest open order of the symbol (a trade
 *       before it fills nothing). Each order then only takes trades after it was placed and after
 *       its last fill's trade (in SQL).
 *   <li>{@code until}: the first trade of the symbol the live stream delivered (live matching takes
 *       over from there), or the start of the pass when none came yet.
 * </ul>
 */
public record CatchUpWindow(Key from, Key until) {

  /**
   * A position in trade-time order; {@code tradeId} "" sorts before every real id (ids are never
   * empty), so {@code Key.before(ts)} sits just before every trade at {@code ts}.
   */
  public record Key(Instant ts, String tradeId) implements Comparable<Key> {
    public static Key before(Instant ts) {
      return new Key(ts, "");
    }

    public static Key of(Trade t) {
      return new Key(t.ts(), t.tradeId());
    }

    @Override
    public int compareTo(Key o) {
      int c = ts.compareTo(o.ts);
      return c != 0 ? c : tradeId.compareTo(o.tradeId);
    }
  }

  /**
   * @param since the oldest trade the pass is for, or null (all within the look-back)
   * @param oldestOrder when the oldest open order of the symbol was placed, or null
   * @param live where live matching of the symbol takes over: its first live trade (at start), the
   *     trade waiting behind the dropped ones (after an overflow); null: none yet
   */
  static CatchUpWindow of(
      Instant passStart, Duration maxAge, Instant since, Instant oldestOrder, Key live) {
    Instant from = passStart.minus(maxAge);
    if (since != null && since.isAfter(from)) {
      from = since;
    }
    if (oldestOrder != null && oldestOrder.isAfter(from)) {
      from = oldestOrder;
    }
    return new CatchUpWindow(Key.before(from), live != null ? live : Key.before(passStart));
  }

  /** Whether no trade can lie in it. */
  boolean isEmpty() {
    return from.compareTo(until) >= 0;
  }
}
