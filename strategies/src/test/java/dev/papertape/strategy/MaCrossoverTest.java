package dev.papertape.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.papertape.model.Signal;
import dev.papertape.model.WindowMetrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SMA crossover; {@link EmaCrossoverTest} runs the contract for the EMA kind. */
class MaCrossoverTest extends StrategyContractTest {

  @Override
  StrategyType<?> type() {
    return MaCrossover.TYPE;
  }

  @Override
  Map<String, String> params() {
    return Map.of("fast", "2", "slow", "3");
  }

  @Override
  List<Invalid> invalidParams() {
    return List.of(
        new Invalid("fast", Map.of("fast", "0")),
        new Invalid("fast", Map.of("fast", "1000", "slow", "1000")),
        new Invalid("slow", Map.of("slow", "1001")),
        new Invalid("slow", Map.of("fast", "5", "slow", "5")),
        new Invalid("slow", Map.of("fast", "10", "slow", "3")),
        new Invalid("kind", Map.of("kind", "wma")),
        new Invalid("window", Map.of("window", "")));
  }

  @Override
  int firstPossibleSignal() {
    return 4; // both averages full at window slow = 3; a cross needs the previous window's too
  }

  /**
   * fast 2, slow 3 (SMA):
   *
   * <pre>
   * window close  fast SMA(2)  slow SMA(3)   signal
   *  1     10       -            -
   *  2     10      10            -
   *  3     10      10           10            (first full: no previous)
   *  4      9       9.5          9.6666…      SELL (prev 10 ≥ 10, now 9.5 &lt; 9.67)
   *  5     12      10.5         10.3333…      BUY  (prev 9.5 ≤ 9.67, now 10.5 &gt; 10.33)
   *  6     13      12.5         11.3333…      -    (stays above)
   *  7      8      10.5         11            SELL (prev 12.5 ≥ 11.33, now 10.5 &lt; 11)
   *  8     11       9.5         10.6666…      -    (stays below)
   *  9     12.5    11.75        10.5          BUY
   * </pre>
   */
  @Override
  List<WindowMetrics> series() {
    return Bars.closes("TEST", "10", "10", "10", "9", "12", "13", "8", "11", "12.5");
  }

  @Test
  void handComputedSeries() {
    List<Signal> signals = perWindow(strategy(), series());
    assertThat(sides(signals))
        .containsExactly("-", "-", "-", "SELL", "BUY", "-", "SELL", "-", "BUY");
    assertThat(signals.get(3).reason())
        .isEqualTo(
            "TEST fast SMA(2) 9.5 crossed below slow SMA(3) 9.66666667 on 1m closes (close 9)");
    assertThat(signals.get(4).reason())
        .isEqualTo(
            "TEST fast SMA(2) 10.5 crossed above slow SMA(3) 10.33333333 on 1m closes (close 12)");
  }

  @Test
  void aTouchCountsAsACrossWhenTheAveragesPartAgain() {
    // the definition compares previous fast ≤ slow (≥ for SELL): equal averages are on both sides.
    // fast 1, slow 2: fast = close, slow = mean of the last two closes.
    // closes 10, 12 (12 > 11), 12 (12 = 12: a touch, nothing), 13 (13 > 12.5) → BUY, although the
    // fast average never went below
    Strategy<?> s = MaCrossover.TYPE.create("t", Map.of("fast", "1", "slow", "2"));
    assertThat(sides(perWindow(s, Bars.closes("TEST", "10", "12", "12", "13"))))
        .containsExactly("-", "-", "-", "BUY");
    // 10, 12, 12 (touch), 11 (11 < 11.5) → SELL
    assertThat(run(s, Bars.closes("TEST", "10", "12", "12", "11")))
        .singleElement()
        .extracting(Signal::side)
        .isEqualTo(Signal.Side.SELL);
  }

  @Test
  void fastMustBeLessThanSlow() {
    assertThatThrownBy(() -> MaCrossover.TYPE.parse(Map.of("fast", "20", "slow", "10")))
        .hasMessage("field 'params.slow': must be greater than fast (20), got '10'");
  }
}
