package dev.papertape.ledger.performance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.papertape.ledger.performance.Performance.FillEvent;
import dev.papertape.ledger.performance.Performance.RoundTrip;
import dev.papertape.ledger.performance.Performance.Stats;
import dev.papertape.ledger.performance.Performance.Valuation;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The statistics against fixtures computed by hand (the arithmetic is in each comment; the
 * irrational ones were computed with 34-digit decimals and rounded half-even to 6 places).
 */
class PerformanceTest {
  private static final Instant T0 = Instant.parse("2026-03-02T14:30:00Z");

  private static Valuation v(int minute, String total, boolean invested) {
    return new Valuation(T0.plusSeconds(60L * minute), new BigDecimal(total), invested);
  }

  private static FillEvent fill(String symbol, long qty, String pnl, String commission, int min) {
    return new FillEvent(
        symbol, qty, new BigDecimal(pnl), new BigDecimal(commission), T0.plusSeconds(60L * min));
  }

  // 100 -> 110 -> 99 -> 121, one minute apart
  private static final List<Valuation> CURVE =
      List.of(v(0, "100", false), v(1, "110", true), v(2, "99", true), v(3, "121", false));

  @Test
  void returnsAndDrawdownOfACurve() {
    Stats s = Performance.of(CURVE, List.of());
    // 121 / 100 - 1
    assertThat(s.totalReturn()).isEqualByComparingTo("0.21");
    // peak 110 (minute 1), trough 99 (minute 2): (110 - 99) / 110 = 0.1
    assertThat(s.maxDrawdown().fraction()).isEqualByComparingTo("0.1");
    assertThat(s.maxDrawdown().peakAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(s.maxDrawdown().troughAt()).isEqualTo(T0.plusSeconds(120));
    // three minutes do not extrapolate to a year
    assertThat(s.annualizedReturn()).isNull();
    // invested in 2 of the 4 valuations
    assertThat(s.exposure()).isEqualByComparingTo("0.5");
    assertThat(s.startValue()).isEqualByComparingTo("100");
    assertThat(s.endValue()).isEqualByComparingTo("121");
  }

  @Test
  void sharpeAndSortinoOfACurve() {
    // r = 0.1, -0.1, 22/99; mean = 0.0740740...; sample sd = 0.1626...; sqrt(525960) intervals
    Stats s = Performance.of(CURVE, List.of());
    assertThat(s.sharpe()).isEqualByComparingTo("330.248033");
    // downside deviation sqrt(0.01 / 3)
    assertThat(s.sortino()).isEqualByComparingTo("930.471804");
  }

  @Test
  void aYearAnnualisesToItsOwnReturn() {
    Stats s =
        Performance.of(
            List.of(
                new Valuation(T0, new BigDecimal("100"), true),
                new Valuation(
                    T0.plus(Duration.ofSeconds((long) (365.25 * 86400))),
                    new BigDecimal("110"),
                    true)),
            List.of());
    assertThat(s.annualizedReturn()).isEqualByComparingTo("0.1");
    // one interval: no sample standard deviation
    assertThat(s.sharpe()).isNull();
  }

  @Test
  void roundTripsWinRateAndProfitFactor() {
    List<FillEvent> fills =
        List.of(
            // AAPL: buy 10, sell 10 at +50 realised, 1 commission each: 50 - 2 = 48
            fill("AAPL", 10, "0", "1", 1),
            fill("AAPL", -10, "50", "1", 2),
            // MSFT: buy 5, sell 8 (reverses to short 3): closes a trip at -20 - 1 - 1 = -22 ...
            fill("MSFT", 5, "0", "1", 3),
            fill("MSFT", -8, "-20", "1", 4),
            // ... and the short 3 bought back at +6 realised, 1 commission: 5
            fill("MSFT", 3, "6", "1", 5));
    assertThat(Performance.roundTrips(fills))
        .extracting(RoundTrip::pnl)
        .map(BigDecimal::toPlainString)
        .containsExactly("48", "-22", "5");
    Stats s = Performance.of(CURVE, fills);
    assertThat(s.roundTrips()).isEqualTo(3);
    assertThat(s.fills()).isEqualTo(5);
    // 2 of 3 trips won
    assertThat(s.winRate()).isEqualByComparingTo("0.666667");
    // (48 + 5) / 22
    assertThat(s.profitFactor()).isEqualByComparingTo("2.409091");
  }

  @Test
  void undefinedStatisticsAreNull() {
    Stats s = Performance.of(List.of(v(0, "100000", false)), List.of());
    assertThat(s.totalReturn()).isEqualByComparingTo("0");
    assertThat(s.maxDrawdown().fraction()).isEqualByComparingTo("0");
    assertThat(s.maxDrawdown().peakAt()).isNull();
    assertThat(s.sharpe()).isNull();
    assertThat(s.sortino()).isNull();
    assertThat(s.winRate()).isNull();
    assertThat(s.profitFactor()).isNull();
    assertThat(s.roundTrips()).isZero();
    // a flat curve: no deviation, no Sharpe
    assertThat(
            Performance.of(List.of(v(0, "5", true), v(1, "5", true), v(2, "5", true)), List.of())
                .sharpe())
        .isNull();
    assertThatThrownBy(() -> Performance.of(List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anOpenPositionIsNoRoundTrip() {
    assertThat(
            Performance.roundTrips(
                List.of(fill("TSLA", 4, "0", "1", 1), fill("TSLA", -1, "3", "1", 2))))
        .isEmpty();
  }
}
