package dev.papertape.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.model.Signal;
import dev.papertape.model.WindowMetrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MA crossover with {@code kind=ema}. */
class EmaCrossoverTest extends StrategyContractTest {

  @Override
  StrategyType<?> type() {
    return MaCrossover.TYPE;
  }

  @Override
  Map<String, String> params() {
    return Map.of("fast", "2", "slow", "3", "kind", "ema");
  }

  @Override
  List<Invalid> invalidParams() {
    return List.of(
        new Invalid("kind", Map.of("kind", "")), new Invalid("fast", Map.of("fast", "-2")));
  }

  @Override
  int firstPossibleSignal() {
    return 4;
  }

  /**
   * fast 2 (α = 2/3), slow 3 (α = 1/2); EMA ← EMA + α·(close − EMA), seeded with the SMA of the
   * first N closes:
   *
   * <pre>
   * window close  fast EMA(2)                 slow EMA(3)              signal
   *  1     10      -                           -
   *  2     10     10 (seed: SMA of 10, 10)     -
   *  3     10     10                          10 (seed)
   *  4      9      9.3333… = 10 + ⅔·(9 − 10)   9.5 = 10 + ½·(9 − 10)    SELL
   *  5     12     11.1111…                    10.75                    BUY
   *  6     13     12.3703…                    11.875                   -
   *  7      8      9.4567…                     9.9375                  SELL
   * </pre>
   */
  @Override
  List<WindowMetrics> series() {
    return Bars.closes("TEST", "10", "10", "10", "9", "12", "13", "8");
  }

  @Test
  void handComputedSeries() {
    List<Signal> signals = perWindow(strategy(), series());
    assertThat(sides(signals)).containsExactly("-", "-", "-", "SELL", "BUY", "-", "SELL");
    assertThat(signals.get(3).reason())
        .isEqualTo(
            "TEST fast EMA(2) 9.33333333 crossed below slow EMA(3) 9.5 on 1m closes (close 9)");
    assertThat(signals.get(4).reason()).contains("fast EMA(2) 11.11111111", "slow EMA(3) 10.75");
    assertThat(signals.get(6).reason()).contains("fast EMA(2) 9.45679012", "slow EMA(3) 9.9375");
  }

  @Test
  void emaDiffersFromSmaWhereTheHistoryMatters() {
    // closes 10, 10, 10, 16, 10: SMA(2) 13 > SMA(3) 12 at window 4 (BUY), then SMA(2) 13 > 12
    // still.
    // EMA(2) 14 > EMA(3) 13 at 4 (BUY); at 5 EMA(2) = 14 + ⅔·(10 − 14) = 11.3333…, EMA(3) = 13
    // + ½·(10 − 13) = 11.5 → SELL, where the SMA stays above.
    List<WindowMetrics> closes = Bars.closes("TEST", "10", "10", "10", "16", "10");
    Strategy<?> ema = MaCrossover.TYPE.create("e", params());
    Strategy<?> sma = MaCrossover.TYPE.create("s", Map.of("fast", "2", "slow", "3"));
    assertThat(run(ema, closes).stream().map(Signal::side))
        .containsExactly(Signal.Side.BUY, Signal.Side.SELL);
    assertThat(run(sma, closes).stream().map(Signal::side)).containsExactly(Signal.Side.BUY);
  }
}
