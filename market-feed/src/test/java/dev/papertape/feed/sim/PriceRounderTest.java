package dev.papertape.feed.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PriceRounderTest {
  private final PriceRounder cents = new PriceRounder(new BigDecimal("0.01"));

  @Test
  void roundsTheExactBinaryValueHalfEven() {
    assertThat(cents.round(189.424)).isEqualByComparingTo("189.42");
    assertThat(cents.round(189.426)).isEqualByComparingTo("189.43");
    // 0.125 and 0.375 are exact in binary: true ties go to the even cent
    assertThat(cents.round(0.125)).isEqualByComparingTo("0.12");
    assertThat(cents.round(0.375)).isEqualByComparingTo("0.38");
    // 1.005 is 1.00499999999999989... in binary: it rounds down
    assertThat(cents.round(1.005)).isEqualByComparingTo("1.00");
  }

  @Test
  void theFastPathAgreesWithExactDecimalRounding() {
    SplittableRandom rng = new SplittableRandom(8);
    for (String t : new String[] {"0.01", "0.05", "0.0001", "0.25", "1"}) {
      PriceRounder r = new PriceRounder(new BigDecimal(t));
      for (int i = 0; i < 200_000; i++) {
        double price =
            i % 2 == 0
                ? rng.nextDouble(0.01, 100_000)
                // near-ties: a half tick, give or take an ulp or two
                : (rng.nextLong(1, 10_000_000) + 0.5) * r.tick().doubleValue()
                    + rng.nextInt(-2, 3) * Math.ulp(1000.0);
        BigDecimal exact =
            BigDecimal.valueOf(r.exactTicks(price)).max(BigDecimal.ONE).multiply(r.tick());
        assertThat(r.round(price)).isEqualByComparingTo(exact);
      }
    }
  }

  @Test
  void neverGoesBelowOneTick() {
    assertThat(cents.round(0.001)).isEqualByComparingTo("0.01");
  }

  @Test
  void supportsOtherTickSizes() {
    PriceRounder nickels = new PriceRounder(new BigDecimal("0.05"));
    assertThat(nickels.round(10.07)).isEqualByComparingTo("10.05");
    assertThat(nickels.round(10.08)).isEqualByComparingTo("10.10");
    assertThat(new PriceRounder(new BigDecimal("0.0001")).round(1.23456))
        .isEqualByComparingTo("1.2346");
  }

  @Test
  void rejectsBadTicks() {
    assertThatThrownBy(() -> new PriceRounder(BigDecimal.ZERO))
        .hasMessageContaining("greater than 0");
    assertThatThrownBy(() -> new PriceRounder(new BigDecimal("1e-9")))
        .hasMessageContaining("8 decimal places");
  }
}
