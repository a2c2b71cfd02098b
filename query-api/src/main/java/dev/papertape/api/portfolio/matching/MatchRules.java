package dev.papertape.api.portfolio.matching;

import dev.papertape.ledger.Side;
import dev.papertape.model.Trade;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * When a market trade fills a resting order, pure. A trade can only act on an order of its symbol
 * that is open (ACCEPTED or PARTIALLY_FILLED), was placed before the trade ({@code created_at <
 * trade.ts}) and has not expired (a DAY order's {@code expires_at} is after both the trade and
 * now).
 *
 * <ul>
 *   <li>LIMIT BUY: the trade's price ≤ limit; LIMIT SELL: price ≥ limit. Fills at the trade's price
 *       (no slippage: the trade is at or better than the limit).
 *   <li>STOP BUY triggers when price ≥ stop, STOP SELL when price ≤ stop; from then on (this trade
 *       and every later one, {@code trade.ts ≥ triggered_at}) it fills like a market order at the
 *       trade's price plus slippage.
 *   <li>STOP_LIMIT triggers the same way and then rests as a LIMIT order; the triggering trade
 *       fills it at once when it also reaches the limit.
 *   <li>Each fill is at most the trade's size: {@code min(remaining, trade.size)}; the rest keeps
 *       resting. Each order is matched on its own: the trade's size is not shared among orders.
 * </ul>
 */
public final class MatchRules {
  private MatchRules() {}

  /** What {@code trade} does to {@code order}, seen at {@code now}; empty: nothing. */
  public static Optional<Match> match(RestingOrder order, Trade trade, Instant now) {
    if (!order.status().open()
        || !order.symbol().equals(trade.symbol())
        || !order.createdAt().isBefore(trade.ts())
        || order.remaining() <= 0
        || expired(order, trade.ts(), now)) {
      return Optional.empty();
    }
    long qty = Math.min(order.remaining(), trade.size());
    BigDecimal price = trade.price();
    boolean triggered = order.triggeredAt() != null && !trade.ts().isBefore(order.triggeredAt());
    return switch (order.type()) {
      case LIMIT ->
          reachesLimit(order.side(), price, order.limitPrice())
              ? Optional.of(new Match(false, qty, false))
              : Optional.empty();
      case STOP -> {
        if (order.triggeredAt() == null) {
          yield reachesStop(order.side(), price, order.stopPrice())
              ? Optional.of(new Match(true, qty, true))
              : Optional.empty();
        }
        yield triggered ? Optional.of(new Match(false, qty, true)) : Optional.empty();
      }
      case STOP_LIMIT -> {
        boolean limit = reachesLimit(order.side(), price, order.limitPrice());
        if (order.triggeredAt() == null) {
          yield reachesStop(order.side(), price, order.stopPrice())
              ? Optional.of(new Match(true, limit ? qty : 0, false))
              : Optional.empty();
        }
        yield triggered && limit ? Optional.of(new Match(false, qty, false)) : Optional.empty();
      }
      case MARKET -> Optional.empty();
    };
  }

  /**
   * Whether a DAY order is over at the trade's time or now (never filled, even before the sweep).
   */
  public static boolean expired(RestingOrder order, Instant tradeTs, Instant now) {
    return order.expiresAt() != null
        && (!order.expiresAt().isAfter(tradeTs) || !order.expiresAt().isAfter(now));
  }

  static boolean reachesLimit(Side side, BigDecimal price, BigDecimal limit) {
    return side == Side.BUY ? price.compareTo(limit) <= 0 : price.compareTo(limit) >= 0;
  }

  static boolean reachesStop(Side side, BigDecimal price, BigDecimal stop) {
    return side == Side.BUY ? price.compareTo(stop) >= 0 : price.compareTo(stop) <= 0;
  }

  /** For the candidate query: the SQL twin of these rules' price conditions ($3: the price). */
  static final String REACHED_SQL = reachedSql("$2", "$3");

  /**
   * The SQL twin of these rules' price conditions for a trade at {@code ts} and {@code price} (SQL
   * expressions: parameters or columns), on the unqualified columns of {@code orders}.
   */
  static String reachedSql(String ts, String price) {
    return ("((type = 'LIMIT' AND ((side = 'BUY' AND $P <= limit_price) OR (side = 'SELL'"
            + " AND $P >= limit_price)))"
            + " OR (type IN ('STOP', 'STOP_LIMIT') AND triggered_at IS NULL AND ((side = 'BUY'"
            + " AND $P >= stop_price) OR (side = 'SELL' AND $P <= stop_price)))"
            + " OR (type = 'STOP' AND triggered_at IS NOT NULL AND triggered_at <= $T)"
            + " OR (type = 'STOP_LIMIT' AND triggered_at IS NOT NULL AND triggered_at <= $T"
            + " AND ((side = 'BUY' AND $P <= limit_price) OR (side = 'SELL'"
            + " AND $P >= limit_price))))")
        .replace("$P", price)
        .replace("$T", ts);
  }
}
