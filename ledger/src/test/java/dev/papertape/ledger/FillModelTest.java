package dev.papertape.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Hand-computed fills: slippage against the trader, commissions to the cent. */
class FillModelTest {
  private static BigDecimal d(String s) {
    return new BigDecimal(s);
  }

  @Test
  void noSlippageNoCommission() {
    Execution e = FillModel.FREE.execute(Side.BUY, 10, d("187.12"));
    assertThat(e.price()).isEqualTo("187.12000000");
    assertThat(e.slippage()).isEqualByComparingTo("0");
    assertThat(e.gross()).isEqualTo("1871.20");
    assertThat(e.commission()).isEqualTo("0.00");
    assertThat(e.cashDelta()).isEqualTo("-1871.20");
  }

  @Test
  void basisPointsSlippageIsAgainstTheTrader() {
    FillModel m = new FillModel(new Slippage.BasisPoints(d("5")), new Commission.None());
    // 187.12 × 5 / 10000 = 0.093560
    Execution buy = m.execute(Side.BUY, 3, d("187.12"));
    assertThat(buy.price()).isEqualTo("187.21356000");
    assertThat(buy.slippage()).isEqualTo("0.09356000");
    assertThat(buy.gross()).isEqualTo("561.64"); // 561.64068 → 561.64
    Execution sell = m.execute(Side.SELL, 3, d("187.12"));
    assertThat(sell.price()).isEqualTo("187.02644000");
    assertThat(sell.gross()).isEqualTo("561.08"); // 561.07932 → 561.08
    assertThat(sell.cashDelta()).isEqualTo("561.08");
  }

  @Test
  void fillPriceRoundsHalfUpToEightDecimals() {
    FillModel m = new FillModel(new Slippage.BasisPoints(d("1")), new Commission.None());
    // 0.12345675 × 1.0001 = 0.123469094675 → 0.12346909 (buy); × 0.9999 = 0.123444405325 →
    // 0.12344441
    assertThat(m.execute(Side.BUY, 1, d("0.12345675")).price()).isEqualTo("0.12346910");
    assertThat(m.execute(Side.SELL, 1, d("0.12345675")).price()).isEqualTo("0.12344440");
    // half-up at the 9th decimal: 1.00000005 has no slippage to add but 0.000000005 rounds up
    FillModel half = new FillModel(new Slippage.PerShare(d("0.000000005")), new Commission.None());
    assertThat(half.execute(Side.BUY, 1, d("1")).price()).isEqualTo("1.00000001");
    assertThat(half.execute(Side.SELL, 1, d("1")).price()).isEqualTo("1.00000000");
  }

  @Test
  void perShareSlippageNeverPushesASellToZero() {
    FillModel m = new FillModel(new Slippage.PerShare(d("0.05")), new Commission.None());
    assertThat(m.execute(Side.BUY, 100, d("10")).price()).isEqualTo("10.05000000");
    assertThat(m.execute(Side.SELL, 100, d("10")).price()).isEqualTo("9.95000000");
    Execution floor = m.execute(Side.SELL, 1, d("0.03"));
    assertThat(floor.price()).isEqualTo("0.00000001");
    assertThat(floor.slippage()).isEqualTo("0.02999999");
  }

  @Test
  void perShareCommissionWithMinimumAndMaximum() {
    Commission c = new Commission.PerShare(d("0.005"), d("1.00"), d("5.00"));
    assertThat(c.of(10, d("1000.00"))).isEqualTo("1.00"); // 0.05 → min
    assertThat(c.of(333, d("1000.00"))).isEqualTo("1.67"); // 1.665 → 1.67 half-up
    assertThat(c.of(5000, d("1000.00"))).isEqualTo("5.00"); // 25 → max
    Commission noMax = new Commission.PerShare(d("0.005"), d("0"), d("0"));
    assertThat(noMax.of(5000, d("1"))).isEqualTo("25.00");
    assertThat(noMax.of(1, d("1"))).isEqualTo("0.01"); // 0.005 → 0.01
  }

  @Test
  void flatAndBasisPointCommissions() {
    assertThat(new Commission.Flat(d("4.95")).of(1, d("1"))).isEqualTo("4.95");
    Commission bps = new Commission.BasisPoints(d("2.5"), d("0"), d("0"));
    assertThat(bps.of(1, d("1234.50"))).isEqualTo("0.31"); // 0.308625
    assertThat(new Commission.BasisPoints(d("10"), d("0.50"), d("0")).of(1, d("10.00")))
        .isEqualTo("0.50");
  }

  @Test
  void commissionIsOnTheCashDelta() {
    FillModel m =
        new FillModel(new Slippage.None(), new Commission.PerShare(d("0.01"), d("1"), d("0")));
    Execution buy = m.execute(Side.BUY, 250, d("40.004"));
    assertThat(buy.gross()).isEqualTo("10001.00");
    assertThat(buy.commission()).isEqualTo("2.50");
    assertThat(buy.cashDelta()).isEqualTo("-10003.50");
    Execution sell = m.execute(Side.SELL, 250, d("40.004"));
    assertThat(sell.cashDelta()).isEqualTo("9998.50");
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> FillModel.FREE.execute(Side.BUY, 0, d("1")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FillModel.FREE.execute(Side.BUY, 1, d("0")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Slippage.BasisPoints(d("-1")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Commission.PerShare(d("0.01"), d("5"), d("1")))
        .hasMessageContaining("below min");
  }
}
