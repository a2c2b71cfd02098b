package dev.papertape.strategy;

import static dev.papertape.strategy.Bars.bar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.MetricWindow;
import dev.papertape.model.Signal;
import dev.papertape.model.WindowMetrics;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AlertRuleTest {

  static AlertRule rule(String field, String op, String threshold) {
    return new AlertRule(
        "r1",
        "TEST",
        AlertRule.Field.parse(field),
        AlertRule.Op.parse(op),
        new BigDecimal(threshold),
        null);
  }

  /** "-" where nothing fired, "A" where an alert did. */
  static List<String> fired(AlertRule rule, List<WindowMetrics> metrics) {
    return StrategyContractTest.perWindow(rule.strategy(), metrics).stream()
        .map(s -> s == null ? "-" : "A")
        .toList();
  }

  @Test
  void greaterFiresWhenItBecomesTrueAndReArmsOnlyAfterFalse() {
    // 199 (no), 201 (becomes true: fire), 202 (still true), 200 (false: re-arm), 203 (fire)
    assertThat(
            fired(
                rule("price", ">", "200"), Bars.closes("TEST", "199", "201", "202", "200", "203")))
        .containsExactly("-", "A", "-", "-", "A");
  }

  @Test
  void aConditionTrueOnTheFirstWindowFiresOnce() {
    assertThat(fired(rule("price", ">", "200"), Bars.closes("TEST", "205", "206")))
        .containsExactly("A", "-");
  }

  @Test
  void lessFiresOncePerEntry() {
    assertThat(
            fired(
                rule("price", "<", "200"), Bars.closes("TEST", "201", "199", "198", "201", "150")))
        .containsExactly("-", "A", "-", "-", "A");
  }

  @Test
  void crossesAboveNeedsAPreviousValueAtOrBelow() {
    // 201 first: no previous → nothing; 199; 201: 199 ≤ 200 < 201 → fire; 202: no;
    // 200: no (not above); 201: previous 200 ≤ 200 → fire
    assertThat(
            fired(
                rule("price", "crosses_above", "200"),
                Bars.closes("TEST", "201", "199", "201", "202", "200", "201")))
        .containsExactly("-", "-", "A", "-", "-", "A");
  }

  @Test
  void crossesBelowNeedsAPreviousValueAtOrAbove() {
    assertThat(
            fired(
                rule("price", "crosses_below", "200"),
                Bars.closes("TEST", "199", "201", "199", "198", "200", "199.99")))
        .containsExactly("-", "-", "A", "-", "-", "A");
  }

  @Test
  void vwapVolumeAndChangePctFields() {
    // vwap 210 > 200 while the close is 190
    assertThat(
            fired(
                rule("vwap", ">", "200"),
                List.of(bar("TEST", MetricWindow.M1, 0, "190", "190", "210", 10))))
        .containsExactly("A");
    // volume 1000 > 999, then 999 (re-arm), then 5000
    assertThat(
            fired(
                rule("volume", ">", "999"),
                List.of(
                    bar("TEST", MetricWindow.M1, 0, "10", "10", "10", 1000),
                    bar("TEST", MetricWindow.M1, 1, "10", "10", "10", 999),
                    bar("TEST", MetricWindow.M1, 2, "10", "10", "10", 5000))))
        .containsExactly("A", "-", "A");
    // changePct = (102.5 − 100)/100 × 100 = 2.5 > 2; then (100 − 102.5)/102.5 × 100 = −2.439… < −2
    List<WindowMetrics> moves =
        List.of(
            bar("TEST", MetricWindow.M1, 0, "100", "102.5", "101", 10),
            bar("TEST", MetricWindow.M1, 1, "102.5", "100", "101", 10));
    List<Signal> up = StrategyContractTest.run(rule("changePct", ">", "2").strategy(), moves);
    assertThat(up)
        .singleElement()
        .extracting(Signal::reason)
        .isEqualTo("TEST changePct 2.5% > 2 (rule r1, 1m window)");
    List<Signal> down = StrategyContractTest.run(rule("changePct", "<", "-2").strategy(), moves);
    assertThat(down)
        .singleElement()
        .extracting(Signal::reason)
        .isEqualTo("TEST changePct -2.43902439% < -2 (rule r1, 1m window)");
  }

  @Test
  void alertsFollowTheSignalContract() {
    AlertRule r = rule("price", "crosses_above", "200");
    List<WindowMetrics> series = Bars.closes("TEST", "199", "201.5");
    Signal s = StrategyContractTest.run(r.strategy(), series).get(0);
    WindowMetrics m = series.get(1);
    assertThat(s.kind()).isEqualTo(Signal.Kind.ALERT);
    assertThat(s.side()).isNull();
    assertThat(s.source()).isEqualTo("r1");
    assertThat(s.price()).isEqualByComparingTo("201.5");
    assertThat(s.ts()).isEqualTo(m.windowEnd());
    assertThat(s.reason()).isEqualTo("TEST price 201.5 crossed above 200 (rule r1, 1m window)");
    assertThat(s.id())
        .isEqualTo(SignalIds.of("r1", "TEST", MetricWindow.M1, m.windowEnd(), "ALERT"));
    assertThat(StrategyContractTest.run(r.strategy(), series)).containsExactly(s);
  }

  @Test
  void otherSymbolsWindowSizesAndReplaysAreIgnored() {
    AlertRule r = rule("price", ">", "200");
    List<WindowMetrics> series = Bars.closes("TEST", "199", "201", "199", "201");
    List<WindowMetrics> noisy = new ArrayList<>();
    for (WindowMetrics m : series) {
      noisy.add(Bars.close("OTHER", 0, "500"));
      noisy.add(Bars.resized(m, MetricWindow.M5));
      noisy.add(m);
      noisy.add(m);
      noisy.add(series.get(0));
    }
    assertThat(StrategyContractTest.run(r.strategy(), noisy))
        .isEqualTo(StrategyContractTest.run(r.strategy(), series))
        .hasSize(2);
  }

  @Test
  void stateRestoredFromBytesAtEveryStepGivesTheUninterruptedRun() {
    SplittableRandom random = new SplittableRandom(16L);
    for (String op : List.of(">", "<", "crosses_above", "crosses_below")) {
      for (String field : List.of("price", "vwap", "volume", "changePct")) {
        String threshold =
            field.equals("volume") ? "5000" : field.equals("changePct") ? "1" : "100";
        AlertRule r = rule(field, op, threshold);
        List<WindowMetrics> walk = Bars.randomWalk(random, "TEST", MetricWindow.M1, 150);
        List<Signal> expected = StrategyContractTest.run(r.strategy(), walk);
        assertThat(StrategyContractTest.runRestoredEveryStep(r.strategy(), r::strategy, walk))
            .as("%s %s", field, op)
            .isEqualTo(expected);
        assertThat(StrategyContractTest.runEncoded(r.strategy(), walk)).isEqualTo(expected);
      }
    }
  }

  @Test
  void validationNamesTheField() {
    assertThatThrownBy(() -> AlertRule.Field.parse("Price"))
        .hasMessage(
            "field 'field': 'Price' is not a field; accepted: price, vwap, volume, changePct");
    assertThatThrownBy(() -> AlertRule.Op.parse("=>"))
        .hasMessage(
            "field 'op': '=>' is not an operator; accepted: >, <, crosses_above, crosses_below");
    assertField(() -> rule("price", ">", "0"), "threshold");
    assertField(() -> rule("price", ">", "1e10"), "threshold");
    assertField(() -> rule("vwap", ">", "1.123456789"), "threshold");
    assertField(() -> rule("volume", ">", "-1"), "threshold");
    assertField(() -> rule("volume", ">", "1.5"), "threshold");
    assertField(() -> rule("volume", ">", "1e30"), "threshold");
    assertField(() -> rule("changePct", ">", "-101"), "threshold");
    assertField(() -> rule("changePct", ">", "10000.5"), "threshold");
    assertField(() -> rule("changePct", ">", "1e-2147483647"), "threshold");
    AlertRule.Field price = AlertRule.Field.PRICE;
    AlertRule.Op gt = AlertRule.Op.GREATER;
    BigDecimal t = BigDecimal.TEN;
    assertField(() -> new AlertRule("bad id", "TEST", price, gt, t, null), "id");
    assertField(() -> new AlertRule("r", "1ABC", price, gt, t, null), "symbol");
    assertField(() -> new AlertRule("r", "TEST", null, gt, t, null), "field");
    assertField(() -> new AlertRule("r", "TEST", price, null, t, null), "op");
    assertField(() -> new AlertRule("r", "TEST", price, gt, null, null), "threshold");
    assertThat(rule("volume", ">", "1e3").threshold()).isEqualTo(new BigDecimal("1000"));
    assertThat(rule("changePct", "<", "-2.50").threshold()).isEqualTo(new BigDecimal("-2.5"));
    assertThat(rule("price", ">", "200").window()).isEqualTo(MetricWindow.M1);
  }

  private static void assertField(Runnable r, String field) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(
            InvalidRecordException.class, e -> assertThat(e.field()).isEqualTo(field));
  }
}
