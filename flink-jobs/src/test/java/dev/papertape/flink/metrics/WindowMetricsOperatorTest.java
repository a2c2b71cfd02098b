package dev.papertape.flink.metrics;

import static dev.papertape.testing.TradeFixtures.trade;
import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.model.MetricWindow;
import dev.papertape.model.Trade;
import dev.papertape.model.WindowMetrics;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/**
 * The window operator exactly as the job builds it ({@link MarketMetricsJob#windowMetrics}), driven
 * by Flink's keyed operator test harness: firing on watermarks, late updates and late side output,
 * state and timer clean-up, and snapshot → restore.
 */
class WindowMetricsOperatorTest {
  private static final Instant T0 = Instant.parse("2026-01-05T14:30:00Z");
  private static final OutputTag<Trade> LATE = new OutputTag<>("late-test") {};

  private static KeyedOneInputStreamOperatorTestHarness<String, Trade, WindowMetrics> harness(
      Duration allowedLateness) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    SingleOutputStreamOperator<WindowMetrics> op =
        MarketMetricsJob.windowMetrics(
            env.fromData(trade("AAPL", "1", 1, T0)), MetricWindow.S1, allowedLateness, LATE);
    @SuppressWarnings("unchecked")
    OneInputTransformation<Trade, WindowMetrics> t =
        (OneInputTransformation<Trade, WindowMetrics>) op.getTransformation();
    @SuppressWarnings("unchecked")
    KeySelector<Trade, String> key = (KeySelector<Trade, String>) t.getStateKeySelector();
    @SuppressWarnings("unchecked")
    TypeInformation<String> keyType = (TypeInformation<String>) t.getStateKeyType();
    KeyedOneInputStreamOperatorTestHarness<String, Trade, WindowMetrics> h =
        new KeyedOneInputStreamOperatorTestHarness<>(t.getOperatorFactory(), key, keyType);
    h.setup();
    return h;
  }

  private static void send(
      KeyedOneInputStreamOperatorTestHarness<String, Trade, WindowMetrics> h, Trade t)
      throws Exception {
    h.processElement(new StreamRecord<>(t, t.ts().toEpochMilli()));
  }

  private static long at(long millisAfterT0) {
    return T0.toEpochMilli() + millisAfterT0;
  }

  @Test
  void firesOnWatermarkPerSymbolAndCleansUpStateAndTimers() throws Exception {
    try (var h = harness(Duration.ZERO)) {
      h.open();
      send(h, trade("AAPL", "100.00", 10, T0.plusMillis(100)));
      send(h, trade("MSFT", "420.10", 5, T0.plusMillis(200)));
      send(h, trade("AAPL", "100.50", 30, T0.plusMillis(900)));
      send(h, trade("AAPL", "101.00", 1, T0.plusMillis(1500)));
      h.processWatermark(at(998));
      assertThat(h.extractOutputValues()).isEmpty();

      h.processWatermark(at(999));
      List<WindowMetrics> out = h.extractOutputValues();
      assertThat(out).extracting(WindowMetrics::symbol).containsExactlyInAnyOrder("AAPL", "MSFT");
      WindowMetrics aapl =
          out.stream().filter(m -> m.symbol().equals("AAPL")).findFirst().orElseThrow();
      assertThat(aapl.windowStart()).isEqualTo(T0);
      assertThat(aapl.windowEnd()).isEqualTo(T0.plusSeconds(1));
      assertThat(aapl.volume()).isEqualTo(40);
      assertThat(aapl.vwap()).isEqualTo(new BigDecimal("100.375"));
      assertThat(aapl.open()).isEqualTo(new BigDecimal("100"));
      assertThat(aapl.close()).isEqualTo(new BigDecimal("100.5"));

      h.processWatermark(at(1999));
      assertThat(h.extractOutputValues()).hasSize(3);
      assertThat(h.numKeyedStateEntries()).isZero();
      assertThat(h.numEventTimeTimers()).isZero();
    }
  }

  @Test
  void aTradeWithinAllowedLatenessUpdatesTheWindowALaterOneGoesToTheSideOutput() throws Exception {
    try (var h = harness(Duration.ofMillis(500))) {
      h.open();
      send(h, trade("AAPL", "10", 1, T0.plusMillis(100)));
      h.processWatermark(at(1200)); // window [0,1000) fires, still accepts updates until 1499
      send(h, trade("AAPL", "20", 1, T0.plusMillis(300))); // within lateness: re-fires
      h.processWatermark(at(1600)); // lateness over: window state purged
      Trade tooLate = trade("AAPL", "30", 1, T0.plusMillis(400));
      send(h, tooLate);

      List<WindowMetrics> out = h.extractOutputValues();
      assertThat(out).extracting(WindowMetrics::tradeCount).containsExactly(1L, 2L);
      assertThat(out.get(1).vwap()).isEqualTo(new BigDecimal("15"));
      assertThat(
              h.getSideOutput(LATE).stream()
                  .map(StreamRecord::getValue)
                  .collect(Collectors.toList()))
          .containsExactly(tooLate);
      assertThat(h.numKeyedStateEntries()).isZero();
    }
  }

  @Test
  void snapshotAndRestoreKeepOpenWindowsExactly() throws Exception {
    OperatorSubtaskState snapshot;
    try (var h = harness(Duration.ZERO)) {
      h.open();
      send(h, trade("TSLA", "250.01", 3, T0.plusMillis(10)));
      send(h, trade("TSLA", "250.02", 7, T0.plusMillis(20)));
      h.processWatermark(at(5));
      snapshot = h.snapshot(1L, 0L);
    }
    try (var restored = harness(Duration.ZERO)) {
      restored.initializeState(snapshot);
      restored.open();
      send(restored, trade("TSLA", "249.99", 10, T0.plusMillis(30)));
      restored.processWatermark(at(999));
      WindowMetrics m = restored.extractOutputValues().get(0);
      assertThat(m.tradeCount()).isEqualTo(3);
      assertThat(m.volume()).isEqualTo(20);
      // (250.01·3 + 250.02·7 + 249.99·10) / 20 = 5000.07 / 20 = 250.0035
      assertThat(m.vwap()).isEqualTo(new BigDecimal("250.0035"));
      assertThat(m.open()).isEqualTo(new BigDecimal("250.01"));
      assertThat(m.close()).isEqualTo(new BigDecimal("249.99"));
    }
  }
}
