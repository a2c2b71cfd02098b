package dev.papertape.feed.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.papertape.model.MetricWindow;
import dev.papertape.model.Prices;
import dev.papertape.model.Signal;
import dev.papertape.model.Trade;
import dev.papertape.model.WindowMetrics;
import dev.papertape.strategy.StrategyRunner;
import dev.papertape.strategy.StrategyTypes;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DipScenarioTest {
  private static final Instant START = Instant.parse("2026-01-05T14:30:00Z");
  private static final long SECOND = 1_000_000_000L;

  /** The instance ./papertape demo activates (ops/lib/demo.py): keep the two in step. */
  private static final Map<String, String> DEMO_PARAMS =
      Map.of("window", "1s", "lookback", "30", "thresholdPct", "3.5");

  private static DipScenario dip() {
    return new DipScenario(
        "TSLA",
        10 * SECOND,
        Duration.ofSeconds(2),
        Duration.ofSeconds(4),
        Duration.ofSeconds(3),
        0.04);
  }

  @Test
  void theFactorFallsHoldsAndRecoversLinearly() {
    DipScenario d = dip();

    assertThat(d.factor("TSLA", 0)).isEqualTo(1.0);
    assertThat(d.factor("TSLA", 10 * SECOND - 1)).isEqualTo(1.0);
    assertThat(d.factor("TSLA", 10 * SECOND)).isEqualTo(1.0);
    assertThat(d.factor("TSLA", 11 * SECOND)).isCloseTo(0.98, within());
    assertThat(d.factor("TSLA", 12 * SECOND)).isCloseTo(0.96, within());
    assertThat(d.factor("TSLA", 15 * SECOND)).isCloseTo(0.96, within());
    assertThat(d.factor("TSLA", 16 * SECOND)).isCloseTo(0.96, within());
    assertThat(d.factor("TSLA", 17 * SECOND + SECOND / 2)).isCloseTo(0.98, within());
    assertThat(d.factor("TSLA", 19 * SECOND)).isEqualTo(1.0);
    assertThat(d.factor("TSLA", 100 * SECOND)).isEqualTo(1.0);
    assertThat(d.endNanos()).isEqualTo(19 * SECOND);
    // another symbol never moves
    assertThat(d.factor("AAPL", 13 * SECOND)).isEqualTo(1.0);
    assertThat(d.describe())
        .isEqualTo(
            "TSLA dips 4 % below its path 10.000 s after the start: falls over 2s, holds 4s,"
                + " recovers over 3s");
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-12);
  }

  @Test
  void badDipsAreRefused() {
    Duration s = Duration.ofSeconds(1);
    assertThatThrownBy(() -> new DipScenario("TSLA", -1, s, s, s, 0.04))
        .hasMessageContaining("cannot start before the run");
    assertThatThrownBy(() -> new DipScenario("TSLA", 0, s, s.negated(), s, 0.04))
        .hasMessageContaining("0 or more");
    assertThatThrownBy(() -> new DipScenario("TSLA", 0, s, s, s, 1.0))
        .hasMessageContaining("depth must be in (0, 1)");
    assertThatThrownBy(() -> new DipScenario("TSLA", 0, s, s, s, 0))
        .hasMessageContaining("depth must be in (0, 1)");
  }

  @Test
  void theDemoDipStartsAfterTheOffsetAndLiesInsideOneMinute() {
    for (long ms = 0; ms < 180_000; ms += 1_700) {
      Instant start = START.plusMillis(ms);
      DipScenario d = DipScenario.demo(start);
      Instant from = d.startsAt(start);
      Instant to = start.plusNanos(d.endNanos());

      assertThat(from).isAfterOrEqualTo(start.plus(DipScenario.DEMO_OFFSET));
      assertThat(Duration.between(start, from)).isLessThanOrEqualTo(Duration.ofSeconds(35 + 80));
      long second = from.getEpochSecond() % 60;
      assertThat(second).as("dip start %s", from).isBetween(5L, 45L);
      // the whole dip inside the minute it starts in: 1m closes never see it
      assertThat(to.getEpochSecond() / 60).isEqualTo(from.getEpochSecond() / 60);
      assertThat(to.getEpochSecond() % 60).isLessThanOrEqualTo(54L);
      assertThat(d.symbol()).isEqualTo("TSLA");
      assertThat(d.depth()).isEqualTo(0.06);
    }
    assertThat(DipScenario.demo(START).startsAt(START)).isEqualTo(START.plusSeconds(35));
    assertThat(DipScenario.demo(START.plusSeconds(20)).startsAt(START.plusSeconds(20)))
        .isEqualTo(START.plusSeconds(65));
    assertThat(DipScenario.demo(START.plusSeconds(34)).startsAt(START.plusSeconds(34)))
        .isEqualTo(START.plusSeconds(69));
    assertThat(DipScenario.demo(START.plusSeconds(29)).startsAt(START.plusSeconds(29)))
        .isEqualTo(START.plusSeconds(65));
  }

  @Test
  void theScenarioIsDeterministicAndMovesOnlyTheDip() {
    DipScenario d = DipScenario.demo(START);
    List<Trade> a = run(d, 42, START, 60);
    List<Trade> b = run(d, 42, START, 60);
    List<Trade> plain = run(Scenario.NONE, 42, START, 60);

    assertThat(a).isEqualTo(b);
    assertThat(a).hasSameSizeAs(plain);
    Instant from = d.startsAt(START);
    Instant to = START.plusNanos(d.endNanos());
    Instant holdFrom = from.plus(DipScenario.DEMO_FALL);
    Instant holdTo = holdFrom.plus(DipScenario.DEMO_HOLD);
    int held = 0;
    for (int i = 0; i < a.size(); i++) {
      Trade t = a.get(i);
      Trade p = plain.get(i);
      // the same arrivals, sizes and ids: only prices differ, only TSLA's, only during the dip
      assertThat(t.tradeId()).isEqualTo(p.tradeId());
      assertThat(t.ts()).isEqualTo(p.ts());
      assertThat(t.size()).isEqualTo(p.size());
      boolean inDip = t.symbol().equals("TSLA") && !t.ts().isBefore(from) && t.ts().isBefore(to);
      if (!inDip) {
        assertThat(t.price()).as("%s", t).isEqualByComparingTo(p.price());
      } else if (!t.ts().isBefore(holdFrom) && t.ts().isBefore(holdTo)) {
        BigDecimal ratio = t.price().divide(p.price(), 6, RoundingMode.HALF_UP);
        assertThat(ratio)
            .as("%s vs %s", t, p)
            .isBetween(new BigDecimal("0.9399"), new BigDecimal("0.9401"));
        held++;
      } else {
        assertThat(t.price()).isLessThanOrEqualTo(p.price());
      }
    }
    assertThat(held).as("TSLA trades at the bottom").isGreaterThan(5);
  }

  @Test
  void theDemoStrategyFiresOneBuyOnTheDipAndNothingElseWhateverTheSeed() {
    for (long seed = 0; seed < 100; seed++) {
      Instant start = START.plusSeconds(seed * 7);
      DipScenario d = DipScenario.demo(start);
      List<Trade> trades = run(d, seed, start, 90);
      StrategyRunner<?> runner =
          StrategyRunner.of(StrategyTypes.create("demo-vwap-tsla", "vwap-deviation", DEMO_PARAMS));
      List<Signal> signals = new ArrayList<>();
      for (WindowMetrics m : oneSecondWindows(trades)) {
        Optional<Signal> s = runner.onMetric(m);
        s.ifPresent(signals::add);
      }

      assertThat(signals).as("seed %d: %s", seed, signals).hasSize(1);
      Signal buy = signals.get(0);
      assertThat(buy.symbol()).isEqualTo("TSLA");
      assertThat(buy.side()).isEqualTo(Signal.Side.BUY);
      Instant from = d.startsAt(start);
      assertThat(buy.ts())
          .as("seed %d", seed)
          .isAfter(from)
          .isBeforeOrEqualTo(from.plus(DipScenario.DEMO_FALL).plusSeconds(1));
    }
  }

  private static List<Trade> run(Scenario scenario, long seed, Instant start, long seconds) {
    GbmSimulator sim = new GbmSimulator(SimulatorConfig.DEFAULT, seed, scenario);
    List<Trade> out = new ArrayList<>();
    Instant end = start.plusSeconds(seconds);
    while (true) {
      Trade t = sim.next(start);
      if (!t.ts().isBefore(end)) {
        return out;
      }
      out.add(t);
    }
  }

  /**
   * The 1s windows of the trades, by symbol and window start, as the metrics job defines them (open
   * and close by event time, VWAP rounded once); the simulator's trades are in time order.
   */
  private static List<WindowMetrics> oneSecondWindows(List<Trade> trades) {
    Map<Long, Map<String, List<Trade>>> bySecond = new TreeMap<>();
    for (Trade t : trades) {
      bySecond
          .computeIfAbsent(t.ts().getEpochSecond(), k -> new TreeMap<>())
          .computeIfAbsent(t.symbol(), k -> new ArrayList<>())
          .add(t);
    }
    List<WindowMetrics> out = new ArrayList<>();
    bySecond.forEach(
        (second, symbols) ->
            symbols.forEach(
                (symbol, list) -> {
                  BigDecimal high = list.get(0).price();
                  BigDecimal low = high;
                  BigDecimal notional = BigDecimal.ZERO;
                  long volume = 0;
                  for (Trade t : list) {
                    high = high.max(t.price());
                    low = low.min(t.price());
                    notional = notional.add(t.price().multiply(BigDecimal.valueOf(t.size())));
                    volume += t.size();
                  }
                  Instant from = Instant.ofEpochSecond(second);
                  out.add(
                      new WindowMetrics(
                          symbol,
                          MetricWindow.S1,
                          from,
                          from.plusSeconds(1),
                          list.get(0).price(),
                          high,
                          low,
                          list.get(list.size() - 1).price(),
                          volume,
                          Prices.round(
                              notional.divide(
                                  BigDecimal.valueOf(volume), 20, RoundingMode.HALF_UP)),
                          list.size(),
                          high.subtract(low)));
                }));
    return out;
  }
}
