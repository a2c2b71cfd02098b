package dev.papertape.strategy;

import static dev.papertape.strategy.Bars.m1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.model.Signal;
import dev.papertape.model.WindowMetrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VolumeSpikeTest extends StrategyContractTest {

  @Override
  StrategyType<?> type() {
    return VolumeSpike.TYPE;
  }

  @Override
  Map<String, String> params() {
    return Map.of("lookback", "3", "multiplier", "2");
  }

  @Override
  List<Invalid> invalidParams() {
    return List.of(
        new Invalid("lookback", Map.of("lookback", "0")),
        new Invalid("multiplier", Map.of("multiplier", "0.5")),
        new Invalid("multiplier", Map.of("multiplier", "1000.0001")),
        new Invalid("multiplier", Map.of("multiplier", "two")),
        new Invalid("multiplier", Map.of("multiplier", "1.23456")));
  }

  @Override
  int firstPossibleSignal() {
    return 4; // lookback previous windows, then the current one
  }

  /**
   * lookback 3, multiplier 2: spike when volume × 3 &gt; 2 × Σ previous three volumes.
   *
   * <pre>
   * window volume  previous three   2 × mean   signal
   *  1      100     -                -
   *  2     1000     (one only)       -          - (warm-up, though 1000 &gt; 2 × 100)
   *  3      100     (two only)       -
   *  4     1300     100 1000 100     800        BUY  (close 11 ≥ open 10)
   *  5      500     1000 100 1300   1600        -
   *  6     3000     100 1300 500    1266.67     SELL (close 9 &lt; open 10)
   *  7     3200     1300 500 3000   3200        -    (equal is not more)
   *  8    10000     500 3000 3200   4466.67     BUY  (close = open)
   * </pre>
   */
  @Override
  List<WindowMetrics> series() {
    return List.of(
        m1(0, "10", "10", "10", 100),
        m1(1, "10", "10.5", "10.2", 1000),
        m1(2, "10.5", "10", "10.2", 100),
        m1(3, "10", "11", "10.6", 1300),
        m1(4, "11", "10", "10.4", 500),
        m1(5, "10", "9", "9.5", 3000),
        m1(6, "9", "10", "9.5", 3200),
        m1(7, "10", "10", "10", 10000));
  }

  @Test
  void handComputedSeries() {
    List<Signal> signals = perWindow(strategy(), series());
    assertThat(sides(signals)).containsExactly("-", "-", "-", "BUY", "-", "SELL", "-", "BUY");
    assertThat(signals.get(3).reason())
        .isEqualTo(
            "TEST volume 1300 exceeds 2 × the mean volume 400 of the previous 3 1m windows"
                + " (close 11 ≥ open 10)");
    assertThat(signals.get(5).reason()).contains("mean volume 633.33333333", "close 9 < open 10");
  }

  @Test
  void afterQuietWindowsAnyVolumeIsASpike() {
    Strategy<?> s = VolumeSpike.TYPE.create("q", Map.of("lookback", "2", "multiplier", "3"));
    List<WindowMetrics> series =
        List.of(
            m1(0, "10", "10", "10", 0),
            m1(1, "10", "10", "10", 0),
            // 1 × 2 > 3 × 0 → BUY; then 0 × 2 > 3 × 1 is false
            m1(2, "10", "10", "10", 1),
            m1(3, "10", "10", "10", 0));
    assertThat(sides(perWindow(s, series))).containsExactly("-", "-", "BUY", "-");
  }

  @Test
  void decimalMultipliersCompareExactly() {
    // lookback 1, multiplier 1.5: 150 is not more than 1.5 × 100; 151 is
    Strategy<?> s = VolumeSpike.TYPE.create("d", Map.of("lookback", "1", "multiplier", "1.5"));
    assertThat(run(s, List.of(m1(0, "10", "10", "10", 100), m1(1, "10", "10", "10", 150))))
        .isEmpty();
    assertThat(run(s, List.of(m1(0, "10", "10", "10", 100), m1(1, "10", "9.99", "10", 151))))
        .singleElement()
        .extracting(Signal::side)
        .isEqualTo(Signal.Side.SELL);
  }
}
