package dev.papertape.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** An order filled in parts pays its minimum, maximum and flat fee once, not per fill. */
class PartialFillCommissionTest {
  static BigDecimal d(String s) {
    return new BigDecimal(s);
  }

  @Test
  void perShareMinimumAndMaximumAreForTheWholeOrder() {
    Commission c = new Commission.PerShare(d("0.01"), d("1.00"), d("5.00"));
    assertThat(c.of(3, d("300.00"), d("0.00"))).isEqualTo("1.00"); // 0.03 → the minimum
    assertThat(c.of(7, d("700.00"), d("1.00"))).isEqualTo("0.07"); // minimum already paid
    assertThat(c.of(20, d("2000.00"), d("0.50"))).isEqualTo("0.50"); // up to the minimum
    assertThat(c.of(400, d("4000.00"), d("1.07"))).isEqualTo("3.93"); // capped: 5.00 in all
    assertThat(c.of(400, d("4000.00"), d("5.00"))).isEqualTo("0.00"); // maximum reached
  }

  @Test
  void basisPointsAndFlat() {
    Commission bps = new Commission.BasisPoints(d("10"), d("0.50"), d("2.00"));
    assertThat(bps.of(1, d("100.00"), d("0.00"))).isEqualTo("0.50");
    assertThat(bps.of(1, d("100.00"), d("0.50"))).isEqualTo("0.10");
    assertThat(bps.of(1, d("10000.00"), d("1.50"))).isEqualTo("0.50");
    Commission flat = new Commission.Flat(d("4.95"));
    assertThat(flat.of(1, d("1"), d("0.00"))).isEqualTo("4.95");
    assertThat(flat.of(1, d("1"), d("4.95"))).isEqualTo("0.00");
  }

  @Test
  void aLimitFillHasNoSlippageAndTheSameCommissionRule() {
    FillModel m =
        new FillModel(
            new Slippage.BasisPoints(d("10")), new Commission.PerShare(d("0.01"), d("1"), d("0")));
    Execution e = m.execute(Side.BUY, 7, d("100"), false, d("1.00"));
    assertThat(e.price()).isEqualByComparingTo("100");
    assertThat(e.slippage()).isEqualByComparingTo("0");
    assertThat(e.commission()).isEqualTo("0.07");
    assertThat(e.cashDelta()).isEqualTo("-700.07");
    Execution stop = m.execute(Side.BUY, 2, d("106"), true, d("0"));
    assertThat(stop.price()).isEqualByComparingTo("106.106");
    assertThat(stop.commission()).isEqualTo("1.00");
  }
}
