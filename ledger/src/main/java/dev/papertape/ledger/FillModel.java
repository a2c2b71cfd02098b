package dev.papertape.ledger;

import java.math.BigDecimal;
import java.util.Objects;

/** Prices a fill: slippage moves the price against the trader, then commission is charged. */
public record FillModel(Slippage slippage, Commission commission) {
  public static final FillModel FREE = new FillModel(new Slippage.None(), new Commission.None());

  public FillModel {
    Objects.requireNonNull(slippage, "slippage");
    Objects.requireNonNull(commission, "commission");
  }

  /** {@code quantity} shares on {@code side} against a market trade at {@code marketPrice}. */
  public Execution execute(Side side, long quantity, BigDecimal marketPrice) {
    return execute(side, quantity, marketPrice, true, Money.ZERO_CASH);
  }

  /**
   * A fill of an order that may fill in parts: with slippage (a market order, a triggered stop) or
   * at the trade's own price (a limit order: the trade is at or better than the limit, and a limit
   * is never filled beyond it), charged the commission of an order that already paid {@code
   * chargedBefore} (see {@link Commission#of(long, BigDecimal, BigDecimal)}).
   */
  public Execution execute(
      Side side,
      long quantity,
      BigDecimal marketPrice,
      boolean withSlippage,
      BigDecimal chargedBefore) {
    if (quantity <= 0) {
      throw new IllegalArgumentException("quantity must be positive, got " + quantity);
    }
    if (marketPrice.signum() <= 0) {
      throw new IllegalArgumentException("market price must be positive, got " + marketPrice);
    }
    BigDecimal market = Money.price(marketPrice);
    BigDecimal price = withSlippage ? slippage.fillPrice(side, market) : market;
    BigDecimal slip = price.subtract(market).abs();
    BigDecimal gross = Execution.gross(quantity, price);
    BigDecimal fee = commission.of(quantity, gross, chargedBefore);
    return new Execution(
        side, quantity, market, price, slip, gross, fee, Execution.cashDelta(side, gross, fee));
  }
}
