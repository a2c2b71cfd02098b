package dev.papertape.strategy;

import static dev.papertape.strategy.Bars.closes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.model.MetricWindow;
import dev.papertape.model.Signal;
import dev.papertape.model.WindowMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuyAndHoldTest extends StrategyContractTest {

  @Override
  StrategyType<?> type() {
    return BuyAndHold.TYPE;
  }

  @Override
  Map<String, String> params() {
    return Map.of("window", "1m");
  }

  @Override
  List<Invalid> invalidParams() {
    return List.of(
        new Invalid("window", Map.of("window", "2h")), new Invalid("window", Map.of("window", "")));
  }

  @Override
  int firstPossibleSignal() {
    return 1; // no warm-up
  }

  /** Closes 10, 8, 12, 5: a BUY at the first window (close 10), then nothing, whatever follows. */
  @Override
  List<WindowMetrics> series() {
    return closes("TEST", "10", "8", "12", "5");
  }

  @Test
  void handComputedSeries() {
    List<Signal> signals = perWindow(strategy(), series());
    assertThat(sides(signals)).containsExactly("BUY", "-", "-", "-");
    assertThat(signals.get(0).price()).isEqualByComparingTo("10");
    assertThat(signals.get(0).reason()).isEqualTo("TEST first 1m window (close 10): buy and hold");
  }

  @Test
  void oneBuyPerSymbolEachOnItsOwnFirstWindow() {
    Strategy<?> s = strategy();
    List<WindowMetrics> mixed = new ArrayList<>();
    List<WindowMetrics> a = closes("AAA", "1", "2", "3");
    List<WindowMetrics> b = closes("BBB", "7", "6", "5");
    for (int i = 0; i < 3; i++) {
      mixed.add(a.get(i));
      mixed.add(b.get(i));
    }
    // the state is per symbol (the job keys it by symbol): run each symbol on its own state
    List<Signal> buys = new ArrayList<>();
    buys.addAll(run(s, a));
    buys.addAll(run(s, b));
    assertThat(buys).extracting(Signal::symbol).containsExactly("AAA", "BBB");
    assertThat(buys)
        .extracting(Signal::ts)
        .containsExactly(a.get(0).windowEnd(), b.get(0).windowEnd());
    assertThat(s.window()).isEqualTo(MetricWindow.M1);
  }
}
