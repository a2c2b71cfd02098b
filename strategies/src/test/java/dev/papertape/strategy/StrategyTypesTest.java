package dev.papertape.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.MetricWindow;
import dev.papertape.model.Signal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The registry, the parameter declarations, signal ids and the in-memory runner. */
class StrategyTypesTest {

  @Test
  void theRegistryNamesTheBuiltIns() {
    assertThat(StrategyTypes.all().stream().map(StrategyType::name))
        .containsExactly("ma-crossover", "vwap-deviation", "volume-spike", "buy-and-hold");
    assertThatThrownBy(() -> StrategyTypes.get("rsi"))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessage(
            "field 'strategy': 'rsi' is not a strategy; accepted: ma-crossover, vwap-deviation,"
                + " volume-spike, buy-and-hold");
    assertThatThrownBy(() -> StrategyTypes.get(null)).hasMessageContaining("is missing");
    assertThatThrownBy(() -> StrategyTypes.create("no id", "ma-crossover", Map.of()))
        .isInstanceOfSatisfying(
            InvalidRecordException.class, e -> assertThat(e.field()).isEqualTo("id"));
  }

  @Test
  void everyParameterIsDeclaredWithDefaultRangeAndDescription() {
    for (StrategyType<?> t : StrategyTypes.all()) {
      assertThat(t.parameters().get(0).name()).isEqualTo("window");
      for (ParamSpec p : t.parameters()) {
        assertThat(p.description()).as(p.name()).isNotBlank();
        assertThat(p.parse(null)).as("default of %s", p.name()).isNotNull();
        assertThat(p.accepted()).isNotBlank();
      }
      assertThat(t.description()).isNotBlank();
    }
    assertThat(BuiltIns.WINDOW.values()).containsExactly("1s", "1m", "5m", "1h", "1d");
  }

  @Test
  void integerParametersRejectOverflowAndDecimals() {
    ParamSpec lookback = ParamSpec.integer("lookback", 20, 1, 1000, "N");
    assertThat(lookback.parse("+7")).isEqualTo(7);
    for (String bad : List.of("9999999999", "-9999999999", "1e3", "0x10", "1_000", "١٢")) {
      assertThatThrownBy(() -> lookback.parse(bad))
          .as(bad)
          .isInstanceOf(InvalidParameterException.class)
          .hasMessageContaining("must be an integer from 1 to 1000");
    }
    String tooLong = "1".repeat(100);
    assertThatThrownBy(() -> lookback.parse(tooLong))
        .hasMessage(
            "field 'params.lookback': must be an integer from 1 to 1000, got '"
                + "1".repeat(40)
                + "…'");
  }

  @Test
  void signalIdsAreNameBasedAndDistinguishEveryPart() {
    java.time.Instant end = Bars.T0;
    String id = SignalIds.of("s1", "AAPL", MetricWindow.M1, end, "BUY");
    assertThat(id).isEqualTo(SignalIds.of("s1", "AAPL", MetricWindow.M1, end, "BUY"));
    assertThat(java.util.UUID.fromString(id).version()).isEqualTo(3);
    assertThat(
            List.of(
                SignalIds.of("s2", "AAPL", MetricWindow.M1, end, "BUY"),
                SignalIds.of("s1", "MSFT", MetricWindow.M1, end, "BUY"),
                SignalIds.of("s1", "AAPL", MetricWindow.M5, end, "BUY"),
                SignalIds.of("s1", "AAPL", MetricWindow.M1, end.plusMillis(1), "BUY"),
                SignalIds.of("s1", "AAPL", MetricWindow.M1, end, "SELL")))
        .doesNotContain(id)
        .doesNotHaveDuplicates();
  }

  @Test
  void theRunnerKeepsOneStatePerSymbol() {
    StrategyRunner<?> runner =
        StrategyRunner.of(MaCrossover.TYPE.create("m", Map.of("fast", "1", "slow", "2")));
    // AAPL: 10, 12 (full), 9 → fast 9 < slow 10.5 after 12 > 11: SELL; MSFT interleaved, no cross
    List<String> sides = new java.util.ArrayList<>();
    String[] aapl = {"10", "12", "9"};
    String[] msft = {"50", "50", "50"};
    for (int i = 0; i < 3; i++) {
      runner
          .onMetric("aapl", Bars.close("AAPL", i, aapl[i]))
          .map(Signal::side)
          .ifPresent(s -> sides.add("AAPL " + s));
      runner
          .onMetric(Bars.close("MSFT", i, msft[i]))
          .map(Signal::side)
          .ifPresent(s -> sides.add("MSFT " + s));
    }
    assertThat(sides).containsExactly("AAPL SELL");
    assertThatThrownBy(() -> runner.onMetric("MSFT", Bars.close("AAPL", 5, "1")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void canonicalParamsCheckAcrossParameters() {
    Map<String, String> p = new HashMap<>(Map.of("fast", "30"));
    assertThatThrownBy(() -> StrategyTypes.canonicalParams("ma-crossover", p))
        .isInstanceOfSatisfying(
            InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo("slow"));
    assertThat(StrategyTypes.canonicalParams("ma-crossover", Map.of("kind", "EMA")))
        .containsExactly(
            Map.entry("fast", "5"),
            Map.entry("kind", "ema"),
            Map.entry("slow", "20"),
            Map.entry("window", "1m"));
  }
}
