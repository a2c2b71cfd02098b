package dev.papertape.ledger;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An open position: {@code quantity} shares (negative: short) at {@code avgCost}, the average price
 * of the open quantity, commissions excluded, 8 decimals. A closed position does not exist.
 */
public record Position(String symbol, long quantity, BigDecimal avgCost) {
  public Position {
    if (quantity == 0) {
      throw new IllegalArgumentException("a position has a quantity other than 0");
    }
    if (avgCost.signum() <= 0) {
      throw new IllegalArgumentException("average cost must be positive, got " + avgCost);
    }
  }

  /** What a fill of {@code side} × {@code quantity} at {@code price} does to a position. */
  public record Change(Position after, BigDecimal realizedPnl) {}

  /**
   * Applies a fill to {@code before} ({@code null}: flat).
   *
   * <ul>
   *   <li>Adding (flat, or the same direction): the new average cost is the quantity-weighted
   *       average of the old cost and the fill price, half-up to 8 decimals; nothing is realised.
   *   <li>Reducing: the quantity shrinks at an unchanged average cost and realises {@code (price −
   *       avgCost) × closed} for a long, {@code (avgCost − price) × closed} for a short, half-up to
   *       the cent.
   *   <li>Crossing through zero (shorting): the whole position closes as above, and the rest opens
   *       a position on the other side at the fill price.
   * </ul>
   *
   * Realised P&amp;L excludes commissions; those are tracked on their own.
   */
  public static Change apply(
      Position before, String symbol, Side side, long quantity, BigDecimal price) {
    long q = before == null ? 0 : before.quantity();
    long signed = side.sign() * quantity;
    long after = Math.addExact(q, signed);
    if (q == 0 || Long.signum(q) == Long.signum(signed)) {
      BigDecimal avg =
          q == 0
              ? Money.price(price)
              : before
                  .avgCost()
                  .multiply(BigDecimal.valueOf(Math.abs(q)))
                  .add(price.multiply(BigDecimal.valueOf(quantity)))
                  .divide(
                      BigDecimal.valueOf(Math.abs(after)), Money.PRICE_SCALE, RoundingMode.HALF_UP);
      return new Change(new Position(symbol, after, avg), Money.ZERO_CASH);
    }
    long closed = Math.min(quantity, Math.abs(q));
    BigDecimal perShare =
        q > 0 ? price.subtract(before.avgCost()) : before.avgCost().subtract(price);
    BigDecimal realized = Money.cents(perShare.multiply(BigDecimal.valueOf(closed)));
    Position next;
    if (after == 0) {
      next = null;
    } else if (Long.signum(after) == Long.signum(q)) {
      next = new Position(symbol, after, before.avgCost());
    } else {
      next = new Position(symbol, after, Money.price(price));
    }
    return new Change(next, realized);
  }

  /** {@code |quantity| × avgCost}: what the open quantity cost, 8 decimals. */
  public BigDecimal costBasis() {
    return avgCost.multiply(BigDecimal.valueOf(Math.abs(quantity)));
  }
}
