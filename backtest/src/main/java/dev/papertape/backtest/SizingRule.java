package dev.papertape.backtest;

import dev.papertape.ledger.FillModel;
import dev.papertape.ledger.OrderSizing;
import dev.papertape.ledger.Side;
import dev.papertape.strategy.Sizing;
import java.math.BigDecimal;

/**
 * How many shares a backtest's order for a signal trades.
 *
 * <ul>
 *   <li>{@code --sizing MODE:VALUE} ({@code quantity}, {@code notional}, {@code percentOfCash}, as
 *       an auto-executed instance's {@code sizing}): exactly the API's rules ({@link OrderSizing}),
 *       for BUYs and SELLs alike.
 *   <li>the default, {@code all-in}: a BUY spends all the cash (percentOfCash 100: the most shares
 *       the cash pays for, slippage and commission included), a SELL sells everything held. A
 *       percent of cash would sell nothing after an all-in BUY (no cash left), so the default is
 *       long-only, all in and all out, the sizing a buy-and-hold comparison is fair to.
 * </ul>
 *
 * @param sizing the explicit rule, or {@code null} for the default
 */
public record SizingRule(Sizing sizing) {
  /** The default. */
  public static final SizingRule ALL_IN = new SizingRule(null);

  /** {@code MODE:VALUE}, e.g. {@code percentOfCash:50}, {@code quantity:10}. */
  public static SizingRule parse(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(
          "--sizing '"
              + text
              + "' is not MODE:VALUE (quantity:10, notional:5000, percentOfCash:50)");
    }
    BigDecimal value;
    try {
      value = new BigDecimal(text.substring(colon + 1).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--sizing '" + text + "': the value after ':' is not a number");
    }
    try {
      return new SizingRule(new Sizing(Sizing.Mode.parse(text.substring(0, colon).trim()), value));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--sizing '" + text + "': " + e.getMessage(), e);
    }
  }

  /** The quantity of an order (0: nothing to trade). */
  public long quantity(
      Side side,
      BigDecimal cash,
      long held,
      boolean allowShort,
      BigDecimal marketPrice,
      FillModel model) {
    OrderSizing.Affordable affordable =
        (budget, price) -> OrderSizing.affordable(model, budget, price, OrderSizing.MAX_QUANTITY);
    if (sizing == null) {
      return side == Side.BUY
          ? OrderSizing.quantity(
              OrderSizing.Mode.PERCENT_OF_CASH,
              BigDecimal.valueOf(100),
              side,
              cash,
              held,
              allowShort,
              marketPrice,
              affordable)
          : Math.max(held, 0);
    }
    return OrderSizing.quantity(
        OrderSizing.Mode.valueOf(sizing.mode().name()),
        sizing.value(),
        side,
        cash,
        held,
        allowShort,
        marketPrice,
        affordable);
  }

  @Override
  public String toString() {
    return sizing == null
        ? "all-in (BUY: all cash, SELL: all held)"
        : sizing.mode().label() + ":" + sizing.value().toPlainString();
  }
}
