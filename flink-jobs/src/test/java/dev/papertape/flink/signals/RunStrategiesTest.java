package dev.papertape.flink.signals;

import static dev.papertape.flink.signals.Metrics.activateCrossover;
import static dev.papertape.flink.signals.Metrics.control;
import static dev.papertape.flink.signals.Metrics.deactivate;
import static dev.papertape.flink.signals.Metrics.m1;
import static dev.papertape.flink.signals.Metrics.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.papertape.model.DeadLetter;
import dev.papertape.model.MetricWindow;
import dev.papertape.model.Signal;
import dev.papertape.model.WindowMetrics;
import dev.papertape.strategy.SignalIds;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * {@link RunStrategies} in Flink's keyed broadcast operator harness: activation → signals,
 * deactivation → none and state dropped, snapshot → restore continues exactly, bad control events →
 * dead letters and no change.
 */
class RunStrategiesTest {
  /** Closes whose SMA(1)/SMA(2) crossovers are BUY at 2, SELL at 3, BUY at 4, SELL at 5. */
  private static final String[] CLOSES = {"10", "9", "11", "8", "12", "7", "7"};

  private static KeyedBroadcastOperatorTestHarness<String, WindowMetrics, ControlRecord, Signal>
      harness() throws Exception {
    KeyedBroadcastOperatorTestHarness<String, WindowMetrics, ControlRecord, Signal> h =
        new KeyedBroadcastOperatorTestHarness<>(
            new CoBroadcastWithKeyedOperator<>(new RunStrategies(), List.of(RunStrategies.CONTROL)),
            WindowMetrics::symbol,
            Types.STRING,
            1,
            1,
            0);
    h.setup();
    return h;
  }

  private static KeyedBroadcastOperatorTestHarness<String, WindowMetrics, ControlRecord, Signal>
      harness(List<ControlRecord> initial) throws Exception {
    KeyedBroadcastOperatorTestHarness<String, WindowMetrics, ControlRecord, Signal> h =
        new KeyedBroadcastOperatorTestHarness<>(
            new CoBroadcastWithKeyedOperator<>(
                new RunStrategies(
                    new dev.papertape.strategy.ControlEventCodec(),
                    java.time.Clock.systemUTC(),
                    initial),
                List.of(RunStrategies.CONTROL)),
            WindowMetrics::symbol,
            Types.STRING,
            1,
            1,
            0);
    h.setup();
    return h;
  }

  @Test
  void initialControlEventsApplyBeforeTheFirstMetricAndCanBeDeactivated() throws Exception {
    try (var h = harness(List.of(activateCrossover("ma-x", "[\"AAPL\"]")))) {
      h.open();
      for (int i = 0; i < 4; i++) {
        send(h, m1("AAPL", i, CLOSES[i]));
      }
      h.processBroadcastElement(deactivate("ma-x"), 0);
      for (int i = 4; i < 6; i++) {
        send(h, m1("AAPL", i, CLOSES[i]));
      }
      assertThat(sides(h.extractOutputValues()))
          .containsExactly("ma-x AAPL BUY @" + at(2), "ma-x AAPL SELL @" + at(3));
    }
    assertThatThrownBy(() -> harness(List.of(deactivate("ma-x"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only activations and rules apply");
  }

  private static void send(
      KeyedBroadcastOperatorTestHarness<String, WindowMetrics, ControlRecord, Signal> h,
      WindowMetrics m)
      throws Exception {
    h.processElement(m, m.windowEnd().toEpochMilli());
  }

  private static List<String> sides(List<Signal> signals) {
    List<String> out = new ArrayList<>();
    for (Signal s : signals) {
      out.add(
          s.source()
              + " "
              + s.symbol()
              + " "
              + (s.side() == null ? s.kind() : s.side())
              + " @"
              + s.ts());
    }
    return out;
  }

  private static String at(int i) {
    return m1("X", i, "1").windowEnd().toString();
  }

  private static long keyedEntries(
      KeyedBroadcastOperatorTestHarness<String, WindowMetrics, ControlRecord, Signal> h) {
    return ((HeapKeyedStateBackend<?>)
            ((AbstractStreamOperator<?>) h.getOperator()).getKeyedStateBackend())
        .numKeyValueStateEntries();
  }

  @Test
  void anActivatedInstanceEmitsItsSignalsOnlyForItsSymbols() throws Exception {
    try (var h = harness()) {
      h.open();
      h.processBroadcastElement(activateCrossover("ma-x", "[\"aapl\"]"), 0);
      for (int i = 0; i < 6; i++) {
        send(h, m1("AAPL", i, CLOSES[i]));
        send(h, m1("MSFT", i, CLOSES[i]));
        send(h, Metrics.bar("AAPL", MetricWindow.S1, i, CLOSES[i])); // another window size
      }
      List<Signal> out = h.extractOutputValues();
      assertThat(sides(out))
          .containsExactly(
              "ma-x AAPL BUY @" + at(2),
              "ma-x AAPL SELL @" + at(3),
              "ma-x AAPL BUY @" + at(4),
              "ma-x AAPL SELL @" + at(5));
      Signal first = out.get(0);
      assertThat(first.kind()).isEqualTo(Signal.Kind.SIGNAL);
      assertThat(first.price()).isEqualByComparingTo("11");
      assertThat(first.id())
          .isEqualTo(
              SignalIds.of("ma-x", "AAPL", MetricWindow.M1, m1("AAPL", 2, "1").windowEnd(), "BUY"));
      assertThat(first.reason()).isNotBlank();
    }
  }

  @Test
  void activationTakesEffectOnTheNextMetricAndAnAlertRuleFiresOncePerCrossing() throws Exception {
    try (var h = harness()) {
      h.open();
      send(h, m1("AAPL", 0, "199"));
      h.processBroadcastElement(rule("aapl-200", "AAPL", ">", "200"), 0);
      send(h, m1("AAPL", 1, "201"));
      send(h, m1("AAPL", 2, "202"));
      send(h, m1("AAPL", 3, "199"));
      send(h, m1("AAPL", 4, "205"));
      send(h, m1("MSFT", 4, "999"));
      assertThat(sides(h.extractOutputValues()))
          .containsExactly("aapl-200 AAPL ALERT @" + at(1), "aapl-200 AAPL ALERT @" + at(4));
    }
  }

  @Test
  void aDeactivatedInstanceEmitsNothingAndItsStateIsDropped() throws Exception {
    try (var h = harness()) {
      h.open();
      h.processBroadcastElement(activateCrossover("ma-x", "\"all\""), 0);
      send(h, m1("AAPL", 0, CLOSES[0]));
      send(h, m1("AAPL", 1, CLOSES[1]));
      assertThat(keyedEntries(h)).isEqualTo(1);

      h.processBroadcastElement(deactivate("ma-x"), 0);
      for (int i = 2; i < 6; i++) {
        send(h, m1("AAPL", i, CLOSES[i]));
      }
      assertThat(h.extractOutputValues()).isEmpty();
      assertThat(keyedEntries(h)).isZero();
      assertThat(h.getBroadcastState(RunStrategies.CONTROL).immutableEntries()).isEmpty();

      // re-activated: a fresh warm-up, the same signals as a first activation at window 2
      h.processBroadcastElement(activateCrossover("ma-x", "\"all\""), 0);
      send(h, m1("AAPL", 6, "10"));
      send(h, m1("AAPL", 7, "9"));
      send(h, m1("AAPL", 8, "11"));
      assertThat(sides(h.extractOutputValues())).containsExactly("ma-x AAPL BUY @" + at(8));
    }
  }

  @Test
  void aTombstoneDeactivatesToo() throws Exception {
    try (var h = harness()) {
      h.open();
      h.processBroadcastElement(activateCrossover("ma-x", "\"all\""), 0);
      h.processBroadcastElement(control("strategy/ma-x", null), 0);
      for (int i = 0; i < 6; i++) {
        send(h, m1("AAPL", i, CLOSES[i]));
      }
      assertThat(h.extractOutputValues()).isEmpty();
      assertThat(keyedEntries(h)).isZero();
    }
  }

  @Test
  void aRestoredOperatorEmitsWhatAnUninterruptedOneDoes() throws Exception {
    List<Signal> uninterrupted;
    try (var h = harness()) {
      h.open();
      h.processBroadcastElement(activateCrossover("ma-x", "\"all\""), 0);
      h.processBroadcastElement(rule("r", "TSLA", "crosses_below", "9"), 0);
      for (int i = 0; i < CLOSES.length; i++) {
        send(h, m1("AAPL", i, CLOSES[i]));
        send(h, m1("TSLA", i, CLOSES[i]));
      }
      uninterrupted = h.extractOutputValues();
    }
    assertThat(uninterrupted).hasSize(10);

    List<Signal> interrupted = new ArrayList<>();
    OperatorSubtaskState snapshot;
    try (var h = harness()) {
      h.open();
      h.processBroadcastElement(activateCrossover("ma-x", "\"all\""), 0);
      h.processBroadcastElement(rule("r", "TSLA", "crosses_below", "9"), 0);
      for (int i = 0; i < 3; i++) {
        send(h, m1("AAPL", i, CLOSES[i]));
        send(h, m1("TSLA", i, CLOSES[i]));
      }
      interrupted.addAll(h.extractOutputValues());
      snapshot = h.snapshot(1L, 0L);
    }
    try (var restored = harness()) {
      restored.initializeState(snapshot);
      restored.open();
      // the broadcast state (the active instances) and the keyed states came back
      assertThat(restored.getBroadcastState(RunStrategies.CONTROL).immutableEntries()).hasSize(2);
      for (int i = 3; i < CLOSES.length; i++) {
        send(restored, m1("AAPL", i, CLOSES[i]));
        send(restored, m1("TSLA", i, CLOSES[i]));
      }
      interrupted.addAll(restored.extractOutputValues());
    }
    assertThat(interrupted).isEqualTo(uninterrupted);
  }

  @Test
  void aBadControlEventGoesToTheDeadLettersAndChangesNothing() throws Exception {
    try (var h = harness()) {
      h.open();
      h.processBroadcastElement(activateCrossover("ma-x", "\"all\""), 0);
      List<ControlRecord> bad =
          List.of(
              control("strategy/ma-x", "not json"),
              // a valid event under another key must not deactivate ma-x
              control("strategy/ma-x", "{\"type\":\"strategy\",\"id\":\"other\",\"active\":false}"),
              control(
                  "strategy/ma-x",
                  "{\"type\":\"strategy\",\"id\":\"ma-x\",\"strategy\":\"ma-crossover\","
                      + "\"params\":{\"fast\":3,\"slow\":2},\"symbols\":\"all\"}"),
              control(
                  "strategy/ma-x",
                  "{\"type\":\"strategy\",\"id\":\"ma-x\",\"strategy\":\"nope\",\"symbols\":\"all\"}"),
              control("garbage-key", null));
      for (ControlRecord r : bad) {
        h.processBroadcastElement(r, 0);
      }
      for (int i = 0; i < 4; i++) {
        send(h, m1("AAPL", i, CLOSES[i]));
      }
      assertThat(sides(h.extractOutputValues()))
          .containsExactly("ma-x AAPL BUY @" + at(2), "ma-x AAPL SELL @" + at(3));

      List<DeadLetter> letters = new ArrayList<>();
      h.getSideOutput(RunStrategies.DEAD_LETTERS).forEach(r -> letters.add(r.getValue()));
      assertThat(letters).hasSize(bad.size());
      assertThat(letters).allSatisfy(d -> assertThat(d.stage()).isEqualTo(DeadLetter.DECODE));
      assertThat(letters.get(0).key()).isEqualTo("strategy/ma-x");
      assertThat(new String(letters.get(0).raw(), StandardCharsets.UTF_8)).isEqualTo("not json");
      assertThat(letters.get(1).error()).contains("does not match");
      assertThat(letters.get(2).error()).contains("slow");
      assertThat(letters.get(3).error()).contains("nope");
      assertThat(letters.get(4).error()).contains("garbage-key");
      assertThat(h.getBroadcastState(RunStrategies.CONTROL).immutableEntries())
          .extracting(Map.Entry::getKey)
          .containsExactly("strategy/ma-x");
    }
  }

  @Test
  void aStoredEventThatNoLongerBuildsIsSkippedAndTheOthersRun() throws Exception {
    try (var h = harness()) {
      h.open();
      h.processBroadcastElement(rule("r", "AAPL", ">", "1"), 0);
      // as if restored from the state of another version of the job
      h.getBroadcastState(RunStrategies.CONTROL)
          .put("strategy/old", "{\"type\":\"strategy\"}".getBytes(StandardCharsets.UTF_8));
      send(h, m1("AAPL", 0, "2"));
      assertThat(sides(h.extractOutputValues())).containsExactly("r AAPL ALERT @" + at(0));
    }
  }

  @Test
  void signalsCarryTheirEventTime() throws Exception {
    try (var h = harness()) {
      h.open();
      h.processBroadcastElement(rule("r", "AAPL", ">", "1"), 0);
      send(h, m1("AAPL", 0, "2"));
      StreamRecord<?> r = (StreamRecord<?>) h.getOutput().peek();
      assertThat(r.getTimestamp()).isEqualTo(m1("AAPL", 0, "2").windowEnd().toEpochMilli());
    }
  }
}
