package dev.papertape.flink.it;

import static dev.papertape.testing.TradeFixtures.trade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.papertape.flink.metrics.MarketMetricsJob;
import dev.papertape.flink.metrics.MetricsJobConfig;
import dev.papertape.kafka.Topics;
import dev.papertape.model.MetricWindow;
import dev.papertape.model.Trade;
import dev.papertape.testing.KafkaTestBroker;
import dev.papertape.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole market metrics job on the real things: an in-JVM KRaft Kafka broker, the real test
 * TimescaleDB and a Flink MiniCluster. A known mix of in-order, out-of-order, late and malformed
 * records goes in; the stored and published metrics must equal an independent SQL recomputation
 * from the stored trades.
 */
class MarketMetricsPipelineIT {
  @RegisterExtension static final MiniClusterExtension FLINK = Pipeline.miniCluster();

  private static final Instant T0 = Instant.parse("2026-01-05T14:30:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static MetricsJobConfig cfg;
  private static String s1;
  private static String s2;
  private static Trade late;
  private static int validTrades;
  private static List<Trade> closers;

  private static Instant t(long millis) {
    return T0.plusMillis(millis);
  }

  /**
   * Runs the job (unbounded, as in production) and feeds it in two phases, so the watermark really
   * passes a window before the late trade arrives: phase 1 → wait until s1's second [1 s, 2 s) is
   * stored → the late trade for it → closers two days later that close every window.
   */
  @BeforeAll
  static void runTheJobOnAKnownMix() throws Exception {
    cfg =
        Pipeline.config(
            Map.of(
                "PAPERTAPE_WATERMARK_OUT_OF_ORDERNESS", "2s",
                "PAPERTAPE_ALLOWED_LATENESS", "0s",
                "PAPERTAPE_CHECKPOINT_INTERVAL", "1s"));
    Topics.ensure(cfg.kafkaBootstrap(), cfg.topics());
    s1 = Pipeline.uniqueSymbol("P");
    s2 = Pipeline.uniqueSymbol("Q");
    late = trade(s1, "99.00", 1, t(1_300));
    closers =
        List.of(
            trade(s1, "100", 1, T0.plus(Duration.ofDays(2))),
            trade(s2, "50", 1, T0.plus(Duration.ofDays(2))));

    List<ProducerRecord<byte[], byte[]>> phase1 = new ArrayList<>();
    List<Trade> onTime =
        List.of(
            trade(s1, "100.10", 10, t(100)),
            trade(s2, "50.01", 100, t(200)),
            trade(s1, "100.20", 5, t(600)),
            trade(s1, "100.05", 7, t(1_100)),
            trade(s2, "49.99", 50, t(1_900)),
            trade(s1, "100.30", 3, t(2_500)),
            trade(s1, "100.00", 4, t(1_800)), // out of order, within the 2 s bound
            trade(s1, "100.40", 2, t(6_000)),
            trade(s2, "50.05", 10, t(6_100))); // watermark 4.1 s: second [1 s, 2 s) closes
    for (int i = 0; i < onTime.size(); i++) {
      phase1.add(Pipeline.record(onTime.get(i)));
      if (i == 4) {
        phase1.add(Pipeline.raw(s1, "garbage {"));
        phase1.add(
            Pipeline.raw(s1, "{\"symbol\":\"" + s1 + "\",\"price\":-1,\"size\":1,\"ts\":1}"));
        phase1.add(Pipeline.raw(null, "{\"symbol\":\"" + s1 + "\",\"price\":1,\"size\":1}"));
        phase1.add(
            Pipeline.raw(
                s2, "{\"symbol\":\"" + s2 + "\",\"price\":1,\"size\":1,\"ts\":1,\"qty\":1}"));
      }
    }
    List<ProducerRecord<byte[], byte[]>> phase2 = new ArrayList<>();
    phase2.add(Pipeline.record(late)); // late for its 1 s window, on time for 1 m, 5 m, 1 h, 1 d
    phase2.add(Pipeline.record(trade(s2, "50.00", 1, t(61_000))));
    // no tradeId: the job names it after its Kafka coordinates
    phase2.add(
        Pipeline.raw(
            s2,
            "{\"symbol\":\"" + s2 + "\",\"price\":50.02,\"size\":5,\"ts\":\"" + t(62_000) + "\"}"));
    closers.forEach(c -> phase2.add(Pipeline.record(c)));
    validTrades = onTime.size() + 3 + closers.size();

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    MarketMetricsJob.wire(env, cfg);
    JobClient job = env.executeAsync("pipeline-it");
    try {
      KafkaTestBroker.produce(cfg.tradesTopic(), phase1);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  Pipeline.storedMetrics(MetricWindow.S1, List.of(s1)).stream()
                      .anyMatch(l -> l.contains("|" + t(1_000) + "|")));
      KafkaTestBroker.produce(cfg.tradesTopic(), phase2);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  Pipeline.storedMetrics(MetricWindow.D1, List.of(s1, s2)).size() == 2
                      && Pipeline.storedTradeCount(List.of(s1, s2)) == validTrades);
      // let the Kafka sinks hand over their last records before the cancel
      Thread.sleep(cfg.checkpointInterval().toMillis() * 2);
    } finally {
      job.cancel().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void everyValidTradeIsStoredOnceIncludingTheLateOne() {
    assertThat(
            TestDatabase.query(
                "SELECT count(*) AS n, count(DISTINCT trade_id) AS ids FROM trades WHERE symbol IN (?, ?)",
                s1,
                s2))
        .containsExactly(Map.of("n", (long) validTrades, "ids", (long) validTrades));
    assertThat(
            TestDatabase.query(
                "SELECT trade_id FROM trades WHERE symbol = ? AND size = 5 AND price = 50.02", s2))
        .extracting(r -> r.get("trade_id"))
        .singleElement()
        .asString()
        .startsWith("kafka-" + cfg.tradesTopic() + "-0-");
  }

  @Test
  void symbolsFirstSeenInTheTradesAreRegistered() {
    assertThat(
            TestDatabase.query(
                "SELECT symbol, exchange FROM symbols WHERE symbol IN (?, ?) ORDER BY symbol",
                s1,
                s2))
        .containsExactly(
            Map.of("symbol", s1, "exchange", "AUTO"), Map.of("symbol", s2, "exchange", "AUTO"));
  }

  @Test
  void storedMetricsEqualAnIndependentSqlRecomputationForEveryWindowSize() {
    for (MetricWindow w : MetricWindow.values()) {
      List<String> lateIds = new ArrayList<>(closers.stream().map(Trade::tradeId).toList());
      if (w == MetricWindow.S1) {
        lateIds.add(late.tradeId());
      }
      List<String> stored = Pipeline.storedMetrics(w, List.of(s1, s2));
      assertThat(stored).as("window %s", w).isNotEmpty();
      assertThat(stored)
          .as("window %s", w)
          .isEqualTo(Pipeline.recomputedMetrics(w, List.of(s1, s2), lateIds));
    }
    // one hand-checked figure: s1's first second: (100.10·10 + 100.20·5) / 15 = 100.13333333…
    assertThat(Pipeline.storedMetrics(MetricWindow.S1, List.of(s1)).get(0))
        .isEqualTo(s1 + "|" + T0 + "|100.1|100.2|100.1|100.2|15|100.13333333|2|0.1");
  }

  @Test
  void publishedMetricsEqualTheStoredOnes() {
    int rows =
        ((Long)
                TestDatabase.query(
                        "SELECT count(*) AS n FROM aggregated_metrics WHERE symbol IN (?, ?)",
                        s1,
                        s2)
                    .get(0)
                    .get("n"))
            .intValue();
    for (MetricWindow w : MetricWindow.values()) {
      assertThat(Pipeline.publishedMetrics(cfg.metricsTopic(), rows, w, Duration.ofSeconds(20)))
          .as("window %s", w)
          .isEqualTo(Pipeline.storedMetrics(w, List.of(s1, s2)));
    }
  }

  @Test
  void theLateTradeIsPublishedToTheLateTopicNamingItsWindow() {
    List<ConsumerRecord<byte[], byte[]>> lateRecords =
        KafkaTestBroker.consume(cfg.lateTopic(), 1, Duration.ofSeconds(20));
    assertThat(lateRecords).hasSize(1);
    assertThat(
            new String(
                lateRecords.get(0).headers().lastHeader("papertape.window").value(),
                StandardCharsets.UTF_8))
        .isEqualTo("1s");
    assertThat(new String(lateRecords.get(0).value(), StandardCharsets.UTF_8))
        .contains("\"tradeId\":\"" + late.tradeId() + "\"");
  }

  @Test
  void malformedRecordsAreDeadLetteredWithTheirBytesAndReason() throws Exception {
    List<ConsumerRecord<byte[], byte[]>> dead =
        KafkaTestBroker.consume(cfg.deadLetterTopic(), 4, Duration.ofSeconds(20));
    List<String> reasons = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : dead) {
      JsonNode j = JSON.readTree(r.value());
      reasons.add(j.get("error").asText());
      assertThat(j.get("topic").asText()).isEqualTo(cfg.tradesTopic());
      assertThat(j.get("stage").asText()).isEqualTo("decode");
      assertThat(j.get("truncated").asBoolean()).isFalse();
      assertThat(j.get("size").asInt()).isEqualTo(j.get("raw").asText().length());
    }
    assertThat(reasons)
        .hasSize(4)
        .anySatisfy(m -> assertThat(m).startsWith("not valid JSON"))
        .anySatisfy(m -> assertThat(m).isEqualTo("field 'price': must be greater than 0, got -1"))
        .anySatisfy(m -> assertThat(m).isEqualTo("field 'ts': is missing"))
        .anySatisfy(m -> assertThat(m).startsWith("field 'qty': unknown field"));
  }
}
