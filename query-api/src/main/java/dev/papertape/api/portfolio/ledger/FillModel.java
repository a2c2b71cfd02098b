package dev.papertape.api.portfolio.ledger;

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
    if (quantity <= 0) {
      throw new IllegalArgumentException("quantity must be positive, got " + quantity);
    }
    if (marketPrice.signum() <= 0) {
      throw new IllegalArgumentException("market price must be positive, got " + marketPrice);
    }
    BigDecimal market = Money.price(marketPrice);
    BigDecimal price = slippage.fillPrice(side, market);
    BigDecimal slip = price.subtract(market).abs();
    BigDecimal gross = Execution.gross(quantity, price);
    BigDecimal fee = commission.of(quantity, gross);
    return new Execution(
        side, quantity, market, price, slip, gross, fee, Execution.cashDelta(side, gross, fee));
  }
}
