package dev.papertape.api.strategy;

import dev.papertape.api.portfolio.AutoOrders;
import dev.papertape.ledger.OrderSizing;
import dev.papertape.ledger.Side;
import dev.papertape.strategy.Sizing;
import java.math.BigDecimal;

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
 * short limit applies). 0 means nothing to trade. The arithmetic is the ledger's {@link
 * OrderSizing}, which the backtest uses too.
 */
final class AutoSizing {
  private AutoSizing() {}

  static long quantity(
      Sizing sizing, Side side, AutoOrders.Account acct, BigDecimal price, AutoOrders orders) {
    return OrderSizing.quantity(
        OrderSizing.Mode.valueOf(sizing.mode().name()),
        sizing.value(),
        side,
        acct.cash(),
        acct.held(),
        acct.allowShort(),
        price,
        (budget, p) -> orders.affordable(budget, p));
  }
}
