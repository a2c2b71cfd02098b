package dev.papertape.flink.signals;

import static dev.papertape.flink.signals.Metrics.m1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.papertape.config.Settings;
import dev.papertape.model.MetricWindow;
import dev.papertape.model.Signal;
import dev.papertape.model.WindowMetrics;
import dev.papertape.strategy.SignalIds;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The CEP price-drop pattern ({@link PriceDrop#signals}) in event time on a MiniCluster: matches on
 * hand-computed series, one signal per fall, the {@code within} bound inclusive, only 1m windows,
 * per symbol, and the same signals whatever the arrival order within the watermark's bound.
 */
class PriceDropTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(1)
              .build());

  private static final PriceDrop.Params TWO_PCT_5M =
      new PriceDrop.Params(new BigDecimal("2"), Duration.ofMinutes(5));

  /** Runs the pattern over {@code metrics} in this arrival order (watermark bound 10 min). */
  private static List<Signal> run(PriceDrop.Params p, List<WindowMetrics> metrics)
      throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    DataStream<WindowMetrics> in =
        env.fromData(metrics)
            .assignTimestampsAndWatermarks(
                WatermarkStrategy.<WindowMetrics>forBoundedOutOfOrderness(Duration.ofMinutes(10))
                    .withTimestampAssigner((m, ts) -> m.windowEnd().toEpochMilli()));
    List<Signal> out = new ArrayList<>();
    try (CloseableIterator<Signal> it = PriceDrop.signals(in, p).executeAndCollect()) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  private static List<WindowMetrics> closes(String symbol, String... closes) {
    List<WindowMetrics> out = new ArrayList<>();
    for (int i = 0; i < closes.length; i++) {
      out.add(m1(symbol, i, closes[i]));
    }
    return out;
  }

  @Test
  void aFallOfAtLeastThePercentageWithinTheBoundIsOneSellSignal() throws Exception {
    // 100 → 99 (−1 %) → 97.9 (−2.1 % from 100, within 2 min) → 97 → 96: one fall, one signal
    List<Signal> out = run(TWO_PCT_5M, closes("AAPL", "100", "99", "97.9", "97", "96"));
    assertThat(out).hasSize(1);
    Signal s = out.get(0);
    WindowMetrics to = m1("AAPL", 2, "97.9");
    assertThat(s.kind()).isEqualTo(Signal.Kind.SIGNAL);
    assertThat(s.side()).isEqualTo(Signal.Side.SELL);
    assertThat(s.source()).isEqualTo(PriceDrop.SOURCE);
    assertThat(s.symbol()).isEqualTo("AAPL");
    assertThat(s.price()).isEqualByComparingTo("97.9");
    assertThat(s.ts()).isEqualTo(to.windowEnd());
    assertThat(s.id())
        .isEqualTo(SignalIds.of("price-drop", "AAPL", MetricWindow.M1, to.windowEnd(), "SELL"));
    assertThat(s.reason()).startsWith("AAPL 1m close fell 2.1% in 2 min, from 100 ");
  }

  @Test
  void outOfOrderArrivalGivesTheSameSignals() throws Exception {
    List<WindowMetrics> inOrder =
        closes("TSLA", "250", "251", "245", "244", "246", "250", "245.1", "240");
    List<WindowMetrics> shuffled =
        List.of(
            inOrder.get(2),
            inOrder.get(0),
            inOrder.get(1),
            inOrder.get(5),
            inOrder.get(3),
            inOrder.get(7),
            inOrder.get(4),
            inOrder.get(6));
    List<Signal> expected = run(TWO_PCT_5M, inOrder);
    // 250 → 245 (−2 % exactly, window 2); after it, 240 (window 7) is −2.4 % from 246 (window 4),
    // −4 % from 250 and −2.08 % from 245.1: one more signal, at window 7
    assertThat(expected)
        .extracting(s -> s.price().stripTrailingZeros().toPlainString())
        .containsExactly("245", "240");
    assertThat(run(TWO_PCT_5M, shuffled)).isEqualTo(expected);
  }

  @Test
  void theWithinBoundIsInclusive() throws Exception {
    PriceDrop.Params twoMinutes = new PriceDrop.Params(new BigDecimal("2"), Duration.ofMinutes(2));
    // exactly 2 min from 100 to 98
    assertThat(run(twoMinutes, closes("A", "100", "99.5", "98"))).hasSize(1);
    // 3 min from 100 to 98; 99.5 → 98 is only −1.5 %
    assertThat(run(twoMinutes, closes("A", "100", "99.5", "99", "98"))).isEmpty();
  }

  @Test
  void onlyOneMinuteWindowsAndEachSymbolOnItsOwn() throws Exception {
    List<WindowMetrics> in = new ArrayList<>();
    String[] a = {"100", "99", "98"};
    String[] b = {"50", "50.5", "49.6"}; // −1.8 % from 50.5: no signal
    for (int i = 0; i < a.length; i++) {
      in.add(m1("AAA", i, a[i]));
      in.add(m1("BBB", i, b[i]));
      in.add(Metrics.bar("CCC", MetricWindow.S1, i, a[i])); // a fall, but of 1s windows
    }
    assertThat(run(TWO_PCT_5M, in)).extracting(Signal::symbol).containsExactly("AAA");
  }

  @Test
  void parametersAreValidated() {
    assertThatThrownBy(() -> new PriceDrop.Params(BigDecimal.ZERO, Duration.ofMinutes(5)))
        .hasMessageContaining("dropPct");
    assertThatThrownBy(() -> new PriceDrop.Params(new BigDecimal("100"), Duration.ofMinutes(5)))
        .hasMessageContaining("dropPct");
    assertThatThrownBy(
            () -> new PriceDrop.Params(new BigDecimal("0.000000001"), Duration.ofMinutes(5)))
        .hasMessageContaining("dropPct");
    assertThatThrownBy(() -> new PriceDrop.Params(BigDecimal.ONE, Duration.ofSeconds(90)))
        .hasMessageContaining("within");
    assertThatThrownBy(() -> new PriceDrop.Params(BigDecimal.ONE, Duration.ofDays(2)))
        .hasMessageContaining("within");
    assertThat(new PriceDrop.Params(new BigDecimal("2.50"), Duration.ofMinutes(5)).toString())
        .isEqualTo("2.5% within 5m");
  }

  @Test
  void settingsNameTheVariableAndZeroTurnsThePatternOff() {
    assertThat(PriceDrop.Params.from(new Settings(Map.of())))
        .isEqualTo(new PriceDrop.Params(new BigDecimal("2"), Duration.ofMinutes(5)));
    assertThat(PriceDrop.Params.from(new Settings(Map.of("PAPERTAPE_PRICE_DROP_PCT", "0"))))
        .isNull();
    assertThatThrownBy(
            () -> PriceDrop.Params.from(new Settings(Map.of("PAPERTAPE_PRICE_DROP_PCT", "abc"))))
        .isInstanceOf(Settings.InvalidSettingException.class)
        .hasMessageContaining("PAPERTAPE_PRICE_DROP_PCT");
    assertThatThrownBy(
            () -> PriceDrop.Params.from(new Settings(Map.of("PAPERTAPE_PRICE_DROP_WITHIN", "30s"))))
        .isInstanceOf(Settings.InvalidSettingException.class)
        .hasMessageContaining("PAPERTAPE_PRICE_DROP_WITHIN");
  }
}
