package dev.papertape.flink.metrics;

import static dev.papertape.testing.TradeFixtures.trade;
import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.model.Trade;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** {@link RegisterNewSymbols} in Flink's keyed harness: once per symbol, across a restore. */
class RegisterNewSymbolsTest {
  private static final Instant T0 = Instant.parse("2026-01-05T14:30:00Z");

  private static KeyedOneInputStreamOperatorTestHarness<String, Trade, String> harness()
      throws Exception {
    var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new RegisterNewSymbols()), Trade::symbol, Types.STRING);
    h.setup();
    return h;
  }

  @Test
  void emitsEachSymbolOnceEvenAfterARestore() throws Exception {
    OperatorSubtaskState snapshot;
    try (var h = harness()) {
      h.open();
      for (String s : new String[] {"AAPL", "MSFT", "AAPL", "AAPL", "MSFT"}) {
        h.processElement(new StreamRecord<>(trade(s, "1", 1, T0), 0));
      }
      assertThat(h.extractOutputValues()).containsExactly("AAPL", "MSFT");
      snapshot = h.snapshot(1, 1);
    }
    try (var h = harness()) {
      h.initializeState(snapshot);
      h.open();
      h.processElement(new StreamRecord<>(trade("AAPL", "1", 1, T0), 0));
      h.processElement(new StreamRecord<>(trade("TSLA", "1", 1, T0), 0));
      assertThat(h.extractOutputValues()).containsExactly("TSLA");
    }
  }
}
