package dev.papertape.flink.metrics;

import static dev.papertape.testing.TradeFixtures.trade;
import static dev.papertape.testing.TradeFixtures.withId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.config.Settings;
import dev.papertape.flink.io.LateTrade;
import dev.papertape.flink.io.ParsedRecord;
import dev.papertape.flink.testing.CollectingSink;
import dev.papertape.model.DeadLetter;
import dev.papertape.model.MetricWindow;
import dev.papertape.model.Trade;
import dev.papertape.model.WindowMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole graph ({@link MarketMetricsJob#build}) on in-memory input with collecting sinks: the
 * seam a backtest uses. Every output is checked exactly: raw trades, new symbols, dead letters,
 * late trades and the metrics of each window size.
 */
class MarketMetricsGraphTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(1)
              .build());

  private static final Instant T0 = Instant.parse("2026-01-05T14:30:00Z");
  private static final long OUT_OF_ORDERNESS = 1_000;

  /** A watermark after every trade (max ts − out-of-orderness − 1), so lateness is exact. */
  static final class EveryTrade implements WatermarkGenerator<ParsedRecord> {
    private long max = Long.MIN_VALUE + OUT_OF_ORDERNESS + 1;

    @Override
    public void onEvent(ParsedRecord r, long ts, WatermarkOutput out) {
      if (r.isValid()) {
        max = Math.max(max, ts);
        out.emitWatermark(new Watermark(max - OUT_OF_ORDERNESS - 1));
      }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput out) {}
  }

  private static String line(WindowMetrics m) {
    return String.join(
        "|",
        m.symbol(),
        m.window().label(),
        m.windowStart().toString(),
        m.open().toPlainString(),
        m.high().toPlainString(),
        m.low().toPlainString(),
        m.close().toPlainString(),
        Long.toString(m.volume()),
        m.vwap().toPlainString(),
        Long.toString(m.tradeCount()),
        m.priceRange().toPlainString());
  }

  @Test
  void theGraphOnInMemoryInputGivesExactlyTheExpectedOutputs() throws Exception {
    MetricsJobConfig cfg =
        MetricsJobConfig.from(
            new Settings(
                Map.of(
                    "PAPERTAPE_METRICS_WINDOWS", "1s,1m",
                    "PAPERTAPE_ALLOWED_LATENESS", "0s")));
    Trade a1 = withId(trade("GA", "100", 10, T0.plusMillis(100)), "a1");
    Trade b1 = withId(trade("GB", "50", 100, T0.plusMillis(200)), "b1");
    Trade a2 = withId(trade("GA", "101", 5, T0.plusMillis(600)), "a2");
    Trade a3 = withId(trade("GA", "102", 1, T0.plusMillis(2_500)), "a3"); // closes GA's 1st second
    Trade late = withId(trade("GA", "99", 2, T0.plusMillis(300)), "late"); // late for 1s only
    DeadLetter bad =
        DeadLetter.of(
            "trades",
            0,
            3,
            "GA",
            "garbage".getBytes(StandardCharsets.UTF_8),
            DeadLetter.DECODE,
            "not valid JSON",
            T0);
    List<ParsedRecord> input =
        List.of(
            ParsedRecord.valid(a1),
            ParsedRecord.valid(b1),
            ParsedRecord.valid(a2),
            ParsedRecord.invalid(bad),
            ParsedRecord.valid(a2), // sent twice: counted once
            ParsedRecord.valid(a3),
            ParsedRecord.valid(late));

    CollectingSink<Trade> raw = new CollectingSink<>();
    CollectingSink<String> symbols = new CollectingSink<>();
    CollectingSink<WindowMetrics> table = new CollectingSink<>();
    CollectingSink<WindowMetrics> topic = new CollectingSink<>();
    CollectingSink<DeadLetter> dead = new CollectingSink<>();
    CollectingSink<LateTrade> lateOut = new CollectingSink<>();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    MarketMetricsJob.build(
        env.fromData(ParsedRecord.class, input.toArray(new ParsedRecord[0]))
            .assignTimestampsAndWatermarks(
                WatermarkStrategy.<ParsedRecord>forGenerator(c -> new EveryTrade())
                    .withTimestampAssigner(
                        (r, ts) -> r.isValid() ? r.trade.ts().toEpochMilli() : Long.MIN_VALUE)),
        cfg,
        new MarketMetricsJob.Sinks(raw, symbols, table, topic, dead, lateOut));
    env.execute("graph-test");

    assertThat(raw.values()).containsExactly(a1, b1, a2, a3, late);
    assertThat(symbols.values()).containsExactly("GA", "GB");
    assertThat(dead.values()).containsExactly(bad);
    assertThat(lateOut.values()).containsExactly(new LateTrade(MetricWindow.S1, late));
    String s0 = T0.toString();
    assertThat(table.values().stream().map(MarketMetricsGraphTest::line))
        .containsExactlyInAnyOrder(
            "GA|1s|" + s0 + "|100|101|100|101|15|100.33333333|2|1",
            "GB|1s|" + s0 + "|50|50|50|50|100|50|1|0",
            "GA|1s|" + T0.plusSeconds(2) + "|102|102|102|102|1|102|1|0",
            // (1000 + 505 + 102 + 198) / 18 = 100.2777…
            "GA|1m|" + s0 + "|100|102|99|102|18|100.27777778|4|3",
            "GB|1m|" + s0 + "|50|50|50|50|100|50|1|0");
    assertThat(topic.values()).containsExactlyInAnyOrderElementsOf(table.values());
  }
}
