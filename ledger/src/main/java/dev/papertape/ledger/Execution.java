package dev.papertape.ledger;

import java.math.BigDecimal;

/**
 * The priced execution of {@code quantity} shares against one market trade, before it touches a
 * portfolio.
 *
 * @param price the fill price: {@code marketPrice} moved by slippage against the trader, 8 decimals
 * @param slippage {@code |price − marketPrice|}, 8 decimals
 * @param gross {@code quantity × price}, half-up to the cent
 * @param commission half-up to the cent
 * @param cashDelta {@code −(gross + commission)} for a buy, {@code gross − commission} for a sell
 */
public record Execution(
    Side side,
    long quantity,
    BigDecimal marketPrice,
    BigDecimal price,
    BigDecimal slippage,
    BigDecimal gross,
    BigDecimal commission,
    BigDecimal cashDelta) {

  /** The gross amount of a fill: quantity × price, half-up to the cent. */
  public static BigDecimal gross(long quantity, BigDecimal price) {
    return Money.cents(price.multiply(BigDecimal.valueOf(quantity)));
  }

  /** The cash a fill moves: −(gross + commission) for a buy, gross − commission for a sell. */
  public static BigDecimal cashDelta(Side side, BigDecimal gross, BigDecimal commission) {
    return side == Side.BUY ? gross.add(commission).negate() : gross.subtract(commission);
  }
}
