package dev.papertape.strategy;

import static dev.papertape.strategy.Bars.m1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.papertape.model.MetricWindow;
import dev.papertape.model.Signal;
import dev.papertape.model.WindowMetrics;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VwapDeviationTest extends StrategyContractTest {

  @Override
  StrategyType<?> type() {
    return VwapDeviation.TYPE;
  }

  @Override
  Map<String, String> params() {
    return Map.of("lookback", "3", "thresholdPct", "1");
  }

  @Override
  List<Invalid> invalidParams() {
    return List.of(
        new Invalid("lookback", Map.of("lookback", "0")),
        new Invalid("lookback", Map.of("lookback", "1001")),
        new Invalid("lookback", Map.of("lookback", "3.5")),
        new Invalid("lookback", Map.of("lookback", "99999999999")),
        new Invalid("lookback", Map.of("lookback", "")),
        new Invalid("thresholdPct", Map.of("thresholdPct", "0")),
        new Invalid("thresholdPct", Map.of("thresholdPct", "-1")),
        new Invalid("thresholdPct", Map.of("thresholdPct", "50.01")),
        new Invalid("thresholdPct", Map.of("thresholdPct", "0.00001")),
        new Invalid("thresholdPct", Map.of("thresholdPct", "1e2")),
        new Invalid("thresholdPct", Map.of("thresholdPct", "NaN")),
        new Invalid("thresholdPct", Map.of("thresholdPct", "1\u0000")),
        new Invalid("window", Map.of("window", "1 m")));
  }

  @Override
  int firstPossibleSignal() {
    return 3; // lookback windows, the current one included
  }

  /** lookback 3, threshold 1 %. */
  @Override
  List<WindowMetrics> series() {
    return List.of(
        m1(0, "100", "100", "100", 100),
        m1(1, "100", "100", "100", 100),
        // rolling = (100·100·3)/300 = 100; dev = (98.5 − 100)/100 = −1.5 % < −1 % → BUY
        m1(2, "100", "98.5", "100", 100),
        // rolling = (10000 + 10000 + 99·200)/400 = 39800/400 = 99.5; dev = −1.5075 %: stays below
        m1(3, "98.5", "98", "99", 200),
        // volume 0 contributes nothing: rolling = (10000 + 19800)/300 = 99.3333…;
        // dev = (101 − 99.3333…)/99.3333… = +1.6779 % > 1 % → SELL (straight from below)
        m1(4, "98", "101", "100", 0),
        // rolling = (19800 + 0 + 10000)/300 = 99.3333…; dev = +0.6711 %: leaves the zone
        m1(5, "101", "100", "100", 100),
        // rolling = (0 + 10000 + 10100)/200 = 100.5; dev = 1/100.5 = +0.9950 %: no zone
        m1(6, "100", "101.5", "101", 100),
        // rolling = (10000 + 10100 + 10100)/300 = 100.6666…; dev = 1.3333…/100.6666… = +1.3245 %
        // → SELL again: a new entry
        m1(7, "101.5", "102", "101", 100));
  }

  @Test
  void handComputedSeries() {
    List<Signal> signals = perWindow(strategy(), series());
    assertThat(sides(signals)).containsExactly("-", "-", "BUY", "-", "SELL", "-", "-", "SELL");
    assertThat(signals.get(2).reason())
        .isEqualTo(
            "TEST close 98.5 is 1.5% below its rolling VWAP 100 of the last 3 1m windows"
                + " (threshold 1%)");
    assertThat(signals.get(4).reason())
        .isEqualTo(
            "TEST close 101 is 1.6779% above its rolling VWAP 99.33333333 of the last 3 1m"
                + " windows (threshold 1%)");
    assertThat(signals.get(7).reason()).contains("1.3245% above", "VWAP 100.66666667");
    assertThat(signals.get(2).price()).isEqualByComparingTo("98.5");
    assertThat(signals.get(2).ts()).isEqualTo(Bars.T0.plusSeconds(180));
  }

  @Test
  void nothingBeforeLookbackWindowsThenTheFirstFullWindowCanFire() {
    // lookback 3: windows 1 and 2 are 10 % below their own VWAP, but there is no rolling VWAP yet;
    // window 3: rolling = 100, dev = (90 − 100)/100 = −10 %, previous zone none → BUY
    List<WindowMetrics> series =
        List.of(
            m1(0, "100", "90", "100", 10),
            m1(1, "100", "90", "100", 10),
            m1(2, "100", "90", "100", 10),
            m1(3, "100", "90", "100", 10));
    assertThat(sides(perWindow(strategy(), series))).containsExactly("-", "-", "BUY", "-");
  }

  @Test
  void theBoundaryIsNotInTheZone() {
    Strategy<?> s = VwapDeviation.TYPE.create("b", Map.of("lookback", "1", "thresholdPct", "1"));
    // lookback 1: rolling = the window's own vwap 100; dev = (99 − 100)/100 = −1 % exactly
    List<WindowMetrics> series =
        List.of(
            m1(0, "100", "99", "100", 10),
            // dev = (98.99 − 100)/100 = −1.01 % → BUY
            m1(1, "100", "98.99", "100", 10),
            // dev = +1 % exactly: leaves the lower zone, enters none
            m1(2, "100", "101", "100", 10),
            // dev = −2 %: a new entry → BUY
            m1(3, "100", "98", "100", 10));
    assertThat(sides(perWindow(s, series))).containsExactly("-", "BUY", "-", "BUY");
  }

  @Test
  void windowsWithoutVolumeHaveNoRollingVwapAndKeepTheZone() {
    Strategy<?> s = VwapDeviation.TYPE.create("z", Map.of("lookback", "2", "thresholdPct", "1"));
    List<WindowMetrics> series =
        List.of(
            m1(0, "100", "100", "100", 10),
            // rolling = 100; dev = −5 % → BUY
            m1(1, "100", "95", "100", 10),
            m1(2, "95", "95", "95", 0),
            // both windows of volume 0: no rolling VWAP, nothing, the zone stays below
            m1(3, "95", "90", "95", 0),
            // rolling = 100 (only this window has volume); dev = −10 %: still below, nothing
            m1(4, "95", "90", "100", 5));
    assertThat(sides(perWindow(s, series))).containsExactly("-", "BUY", "-", "-", "-");
  }

  @Test
  void hugeVolumesDoNotOverflow() {
    Strategy<?> s = VwapDeviation.TYPE.create("h", Map.of("lookback", "2", "thresholdPct", "1"));
    long big = Long.MAX_VALUE;
    List<WindowMetrics> series =
        List.of(
            m1(0, "100", "100", "100", big),
            // Σ volume = 2·(2^63 − 1) > Long.MAX; rolling = 100; dev = −3 % → BUY
            m1(1, "100", "97", "100", big));
    assertThat(run(s, series)).singleElement().extracting(Signal::side).isEqualTo(Signal.Side.BUY);
  }

  @Test
  void parametersParseToTypedValues() {
    VwapDeviation.Parameters p =
        VwapDeviation.TYPE.parse(
            Map.of("lookback", " 30 ", "thresholdPct", "0.250", "window", "5M"));
    assertThat(p.lookback()).isEqualTo(30);
    assertThat(p.thresholdPct()).isEqualTo(new BigDecimal("0.25"));
    assertThat(p.window()).isEqualTo(MetricWindow.M5);
    assertThat(StrategyTypes.canonicalParams(VwapDeviation.NAME, Map.of("thresholdPct", "2.50")))
        .containsExactly(
            Map.entry("lookback", "20"),
            Map.entry("thresholdPct", "2.5"),
            Map.entry("window", "1m"));
    assertThat(VwapDeviation.TYPE.create("x", Map.of()).fingerprint())
        .isEqualTo("vwap-deviation{lookback=20,thresholdPct=0.5,window=1m}");
  }

  @Test
  void errorsNameTheParameterAndTheRange() {
    assertThatThrownBy(() -> VwapDeviation.TYPE.parse(Map.of("lookback", "0")))
        .hasMessage("field 'params.lookback': must be an integer from 1 to 1000, got '0'");
    assertThatThrownBy(() -> VwapDeviation.TYPE.parse(Map.of("thresholdPct", "75")))
        .hasMessage(
            "field 'params.thresholdPct': must be a decimal from 0.01 to 50 with at most 4"
                + " decimal places, got '75'");
  }
}
