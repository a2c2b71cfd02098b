package dev.papertape.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class OrderSizingTest {
  static final FillModel MODEL =
      new FillModel(
          new Slippage.BasisPoints(BigDecimal.ONE), // 0.01 %
          new Commission.PerShare(new BigDecimal("0.01"), new BigDecimal("1.00"), BigDecimal.ZERO));

  static long size(
      OrderSizing.Mode mode,
      String value,
      Side side,
      String cash,
      long held,
      boolean shorts,
      String price) {
    return OrderSizing.quantity(
        mode,
        new BigDecimal(value),
        side,
        new BigDecimal(cash),
        held,
        shorts,
        new BigDecimal(price),
        (budget, p) -> OrderSizing.affordable(MODEL, budget, p, OrderSizing.MAX_QUANTITY));
  }

  @Test
  void percentOfCashBuysTheMostSharesTheBudgetPaysWithSlippageAndCommission() {
    // 100 % of 1000.00 at 10: 99 × 10.001 = 990.10 + 1.00 = 991.10; 100 would be 1000.10 + 1.00
    assertThat(size(OrderSizing.Mode.PERCENT_OF_CASH, "100", Side.BUY, "1000", 0, false, "10"))
        .isEqualTo(99);
    // 50 % = 500.00: 49 × 10.001 = 490.05 + 1.00; 50 would be 500.05 + 1.00
    assertThat(size(OrderSizing.Mode.PERCENT_OF_CASH, "50", Side.BUY, "1000", 0, false, "10"))
        .isEqualTo(49);
    assertThat(size(OrderSizing.Mode.PERCENT_OF_CASH, "100", Side.BUY, "-5", 0, false, "10"))
        .isZero();
    assertThat(OrderSizing.affordable(MODEL, new BigDecimal("10.99"), BigDecimal.TEN, 10)).isZero();
    assertThat(OrderSizing.affordable(MODEL, new BigDecimal("1e15"), BigDecimal.ONE, 7))
        .isEqualTo(7);
  }

  @Test
  void notionalAndQuantityAndTheSellCap() {
    assertThat(size(OrderSizing.Mode.NOTIONAL, "1000", Side.BUY, "0", 0, false, "189.45"))
        .isEqualTo(5);
    assertThat(size(OrderSizing.Mode.QUANTITY, "10", Side.SELL, "0", 3, false, "10")).isEqualTo(3);
    assertThat(size(OrderSizing.Mode.QUANTITY, "10", Side.SELL, "0", -4, false, "10")).isZero();
    assertThat(size(OrderSizing.Mode.QUANTITY, "10", Side.SELL, "0", 0, true, "10")).isEqualTo(10);
    assertThat(OrderSizing.floor(new BigDecimal("1e20"), BigDecimal.ONE))
        .isEqualTo(OrderSizing.MAX_QUANTITY);
  }
}
