package dev.papertape.flink.metrics;

import static dev.papertape.testing.TradeFixtures.trade;
import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.flink.io.LateTrade;
import dev.papertape.model.MetricWindow;
import dev.papertape.model.Trade;
import java.time.Instant;
import org.apache.flink.streaming.api.operators.StreamMap;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * {@link CountLateTrades} in Flink's operator harness: each late trade labelled with its window.
 */
class CountLateTradesTest {
  @Test
  void labelsEachLateTradeWithTheWindowItMissed() throws Exception {
    Trade a = trade("AAPL", "100", 1, Instant.parse("2026-01-05T14:30:00Z"));
    Trade b = trade("MSFT", "400", 2, Instant.parse("2026-01-05T14:30:01Z"));
    try (var h =
        new OneInputStreamOperatorTestHarness<>(
            new StreamMap<>(new CountLateTrades(MetricWindow.M5)))) {
      h.open();
      h.processElement(new StreamRecord<>(a, 0));
      h.processElement(new StreamRecord<>(b, 1));
      assertThat(h.extractOutputValues())
          .containsExactly(new LateTrade(MetricWindow.M5, a), new LateTrade(MetricWindow.M5, b));
    }
  }
}
