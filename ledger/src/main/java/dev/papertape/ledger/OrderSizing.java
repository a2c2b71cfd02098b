package dev.papertape.ledger;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How many whole shares an automatic order trades (always rounded down); shared by the API's
 * auto-executed signals and the backtest, so both size an order the same way:
 *
 * <ul>
 *   <li>{@link Mode#QUANTITY}: the value;
 *   <li>{@link Mode#NOTIONAL}: value ÷ the market price;
 *   <li>{@link Mode#PERCENT_OF_CASH}: value % of the cash (0 when cash is negative) ÷ the market
 *       price; for a BUY the most shares that budget pays for with slippage and commission ({@link
 *       #affordable}), so 100 % does not fail for want of cash.
 * </ul>
 *
 * A SELL sells at most what is held unless short selling is allowed (then the ledger's short limit
 * applies). 0 means nothing to trade. The quotients are capped at {@link #MAX_QUANTITY}.
 */
public final class OrderSizing {
  /** The largest quantity of one order (the API's limit). */
  public static final long MAX_QUANTITY = 1_000_000_000L;

  /** The sizing modes. */
  public enum Mode {
    QUANTITY,
    NOTIONAL,
    PERCENT_OF_CASH
  }

  /** The most whole shares a BUY can take for a cash budget at a market price. */
  @FunctionalInterface
  public interface Affordable {
    long shares(BigDecimal budget, BigDecimal marketPrice);
  }

  private OrderSizing() {}

  /**
   * The quantity of an order.
   *
   * @param value the mode's amount (shares, cash, or percent)
   * @param cash the account's cash
   * @param held the position in the symbol (negative: short)
   * @param marketPrice the price the order would fill at before slippage
   * @param affordable how many shares a BUY budget pays for (see {@link #affordable})
   */
  public static long quantity(
      Mode mode,
      BigDecimal value,
      Side side,
      BigDecimal cash,
      long held,
      boolean allowShort,
      BigDecimal marketPrice,
      Affordable affordable) {
    long q =
        switch (mode) {
          case QUANTITY -> value.longValueExact();
          case NOTIONAL -> floor(value, marketPrice);
          case PERCENT_OF_CASH -> {
            BigDecimal budget = cash.max(BigDecimal.ZERO).multiply(value).movePointLeft(2);
            yield side == Side.BUY
                ? affordable.shares(budget, marketPrice)
                : floor(budget, marketPrice);
          }
        };
    if (side == Side.SELL && !allowShort) {
      q = Math.min(q, Math.max(held, 0));
    }
    return Math.max(q, 0);
  }

  /**
   * The most whole shares (at most {@code max}) a BUY can take for at most {@code budget} of cash
   * at {@code marketPrice}, slippage and commission included ({@code model}); 0 when not even one.
   */
  public static long affordable(
      FillModel model, BigDecimal budget, BigDecimal marketPrice, long max) {
    if (budget.signum() <= 0) {
      return 0;
    }
    long hi = Math.min(budget.divide(marketPrice, 0, RoundingMode.FLOOR).longValue(), max);
    long lo = 0;
    while (lo < hi) { // the largest q in [0, hi] whose cost fits
      long mid = lo + (hi - lo + 1) / 2;
      BigDecimal cost = model.execute(Side.BUY, mid, marketPrice).cashDelta().negate();
      if (cost.compareTo(budget) <= 0) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /** floor(amount ÷ price), capped at {@link #MAX_QUANTITY}. */
  public static long floor(BigDecimal amount, BigDecimal price) {
    BigDecimal q = amount.divide(price, 0, RoundingMode.FLOOR);
    return q.compareTo(BigDecimal.valueOf(MAX_QUANTITY)) > 0 ? MAX_QUANTITY : q.longValue();
  }
}
