package dev.papertape.flink.metrics;

import static dev.papertape.testing.TradeFixtures.trade;
import static dev.papertape.testing.TradeFixtures.withId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.model.DeadLetter;
import dev.papertape.model.Trade;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * {@link AdmitTrades} in Flink's keyed operator harness: duplicates dropped within the horizon,
 * state and timers gone once the watermark passes it, overflow to the dead letters, snapshot →
 * restore keeps the ids.
 */
class AdmitTradesTest {
  private static final Instant T0 = Instant.parse("2026-01-05T14:30:00Z");
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final Duration LATENESS = Duration.ofSeconds(5);

  private static KeyedOneInputStreamOperatorTestHarness<String, Trade, Trade> harness()
      throws Exception {
    return harness(new AdmitTrades(MINUTE, LATENESS, "trades"));
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, Trade, Trade> harness(
      AdmitTrades admit) throws Exception {
    KeyedOneInputStreamOperatorTestHarness<String, Trade, Trade> h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(admit), Trade::symbol, Types.STRING);
    h.setup();
    return h;
  }

  private static void send(KeyedOneInputStreamOperatorTestHarness<String, Trade, Trade> h, Trade t)
      throws Exception {
    h.processElement(new StreamRecord<>(t, t.ts().toEpochMilli()));
  }

  /** The end of T0's minute plus the lateness, as the window operator counts it. */
  private static long expiry() {
    return T0.plus(MINUTE).plus(LATENESS).toEpochMilli() - 1;
  }

  @Test
  void aTradeSentTwiceIsAdmittedOnceAndItsStateGoesWithItsWindow() throws Exception {
    try (var h = harness()) {
      h.open();
      Trade a = withId(trade("AAPL", "100", 10, T0.plusMillis(10)), "a");
      Trade b = withId(trade("AAPL", "101", 10, T0.plusMillis(10)), "b");
      Trade otherTime = withId(trade("AAPL", "100", 10, T0.plusMillis(11)), "a");
      Trade otherSymbol = withId(trade("MSFT", "100", 10, T0.plusMillis(10)), "a");
      send(h, a);
      send(h, a);
      send(h, b);
      send(h, otherTime); // another key of the trades table: another trade
      send(h, otherSymbol);
      send(h, a);
      assertThat(h.extractOutputValues()).containsExactly(a, b, otherTime, otherSymbol);
      assertThat(h.numKeyedStateEntries()).isPositive();
      assertThat(h.numEventTimeTimers()).isEqualTo(2); // one per symbol and window

      h.processWatermark(expiry() - 1);
      assertThat(h.numEventTimeTimers()).isEqualTo(2);
      h.processWatermark(expiry());
      assertThat(h.numEventTimeTimers()).isZero();
      assertThat(h.numKeyedStateEntries()).isZero();

      // now late for every window: passed through untouched, no state kept
      send(h, a);
      assertThat(h.extractOutputValues()).hasSize(5);
      assertThat(h.numKeyedStateEntries()).isZero();
    }
  }

  @Test
  void theIdsSurviveSnapshotAndRestore() throws Exception {
    Trade a = withId(trade("AAPL", "100", 10, T0.plusMillis(10)), "a");
    OperatorSubtaskState snapshot;
    try (var h = harness()) {
      h.open();
      send(h, a);
      snapshot = h.snapshot(1, 1);
    }
    try (var h = harness()) {
      h.initializeState(snapshot);
      h.open();
      send(h, a);
      assertThat(h.extractOutputValues()).isEmpty();
      assertThat(h.numEventTimeTimers()).isEqualTo(1);
    }
  }

  @Test
  void aTradeThatWouldOverflowItsWindowsVolumeGoesToTheDeadLetters() throws Exception {
    long max = Trade.MAX_SIZE;
    long fits = 5; // this many maximum-size trades fit in one window
    try (var h = harness(new AdmitTrades(MINUTE, LATENESS, "trades", fits * max))) {
      h.open();
      for (long i = 0; i < fits; i++) {
        send(h, withId(trade("AAPL", "1", max, T0.plusMillis(i % 60_000)), "t" + i));
      }
      assertThat(h.getSideOutput(AdmitTrades.REJECTED)).isNull();
      Trade over = withId(trade("AAPL", "1", max, T0.plusMillis(5)), "over");
      send(h, over);
      assertThat(h.extractOutputValues()).hasSize((int) fits);
      DeadLetter d = h.getSideOutput(AdmitTrades.REJECTED).poll().getValue();
      assertThat(d.stage()).isEqualTo(DeadLetter.ADMIT);
      assertThat(d.key()).isEqualTo("AAPL");
      assertThat(d.error()).startsWith("field 'size': " + max + " more shares would overflow");
      // a trade in the next window still fits
      send(h, withId(trade("AAPL", "1", max, T0.plus(MINUTE)), "next"));
      assertThat(h.extractOutputValues()).hasSize((int) fits + 1);
    }
  }
}
