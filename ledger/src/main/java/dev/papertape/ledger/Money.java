package dev.papertape.ledger;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The ledger's two scales, each with the one rounding mode used at every boundary: prices (fill
 * price, slippage, average cost) have 8 decimals like {@code trades.price}; cash, gross amounts,
 * commissions and P&amp;L have 2 (cents, USD). Rounding is always half-up.
 */
public final class Money {
  public static final int PRICE_SCALE = 8;
  public static final int CASH_SCALE = 2;
  public static final RoundingMode ROUNDING = RoundingMode.HALF_UP;

  /** The smallest price a fill can have: slippage never pushes a sell to zero or below. */
  public static final BigDecimal MIN_PRICE = new BigDecimal("0.00000001");

  public static final BigDecimal ZERO_CASH = BigDecimal.ZERO.setScale(CASH_SCALE);

  private Money() {}

  /** {@code v} rounded half-up to the cent. */
  public static BigDecimal cents(BigDecimal v) {
    return v.setScale(CASH_SCALE, ROUNDING);
  }

  /** {@code v} rounded half-up to 8 decimals. */
  public static BigDecimal price(BigDecimal v) {
    return v.setScale(PRICE_SCALE, ROUNDING);
  }
}
