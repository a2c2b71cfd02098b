package dev.papertape.api.strategy;

import dev.papertape.api.portfolio.AutoOrders;
import dev.papertape.ledger.Side;
import dev.papertape.strategy.Sizing;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How many whole shares an auto-executed signal trades (rounded down):
 *
 * <ul>
 *   <li>{@code quantity}: the value;
 *   <li>{@code notional}: value ÷ the latest price;
 *   <li>{@code percentOfCash}: value % of the portfolio's cash ÷ the latest price; for a BUY the
 *       most shares that budget pays for with slippage and commission (the ledger's fill model), so
 *       100 % does not fail for want of cash.
 * </ul>
 *
 * A SELL sells at most what is held unless the portfolio allows short selling (then the ledger's
 * short limit applies). 0 means nothing to trade.
 */
final class AutoSizing {
  private AutoSizing() {}

  static long quantity(
      Sizing sizing, Side side, AutoOrders.Account acct, BigDecimal price, AutoOrders orders) {
    long q =
        switch (sizing.mode()) {
          case QUANTITY -> sizing.value().longValueExact();
          case NOTIONAL -> floor(sizing.value(), price);
          case PERCENT_OF_CASH -> {
            BigDecimal budget =
                acct.cash().max(BigDecimal.ZERO).multiply(sizing.value()).movePointLeft(2);
            yield side == Side.BUY ? orders.affordable(budget, price) : floor(budget, price);
          }
        };
    if (side == Side.SELL && !acct.allowShort()) {
      q = Math.min(q, Math.max(acct.held(), 0));
    }
    return Math.max(q, 0);
  }

  private static long floor(BigDecimal amount, BigDecimal price) {
    BigDecimal q = amount.divide(price, 0, RoundingMode.FLOOR);
    return q.compareTo(BigDecimal.valueOf(1_000_000_000L)) > 0 ? 1_000_000_000L : q.longValue();
  }
}
