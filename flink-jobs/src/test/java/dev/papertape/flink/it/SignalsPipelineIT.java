package dev.papertape.flink.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.papertape.config.Settings;
import dev.papertape.flink.signals.SignalsJob;
import dev.papertape.flink.signals.SignalsJobConfig;
import dev.papertape.kafka.Topics;
import dev.papertape.model.MetricWindow;
import dev.papertape.model.Signal;
import dev.papertape.model.SignalCodec;
import dev.papertape.model.WindowMetrics;
import dev.papertape.model.WindowMetricsCodec;
import dev.papertape.strategy.SignalIds;
import dev.papertape.testing.KafkaTestBroker;
import dev.papertape.testing.TestDatabase;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole signals job on the real things (in-JVM Kafka broker, the test TimescaleDB, a Flink
 * MiniCluster): a strategy activated through {@code strategy-control}, metrics on {@code
 * aggregated-metrics} (then all of them again, a replay), a bad control event and a bad metric.
 * Every expected signal — hand-computed — is on {@code price-alerts} and in the {@code signals}
 * table exactly once; the bad records are on their dead-letter topics.
 */
class SignalsPipelineIT {
  @RegisterExtension static final MiniClusterExtension FLINK = Pipeline.miniCluster();

  private static final Instant T0 = Instant.parse("2026-01-05T14:30:00Z");
  private static final WindowMetricsCodec METRICS = new WindowMetricsCodec();
  private static final SignalCodec SIGNALS = new SignalCodec();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static SignalsJobConfig config() {
    Map<String, String> env = new HashMap<>();
    env.put("PAPERTAPE_KAFKA_BOOTSTRAP", KafkaTestBroker.bootstrap());
    env.put("PAPERTAPE_METRICS_TOPIC", KafkaTestBroker.uniqueTopic("aggregated-metrics"));
    env.put("PAPERTAPE_METRICS_DLQ_TOPIC", KafkaTestBroker.uniqueTopic("aggregated-metrics-dlq"));
    env.put("PAPERTAPE_CONTROL_TOPIC", KafkaTestBroker.uniqueTopic("strategy-control"));
    env.put("PAPERTAPE_CONTROL_DLQ_TOPIC", KafkaTestBroker.uniqueTopic("strategy-control-dlq"));
    env.put("PAPERTAPE_SIGNALS_TOPIC", KafkaTestBroker.uniqueTopic("price-alerts"));
    env.put("PAPERTAPE_SIGNALS_GROUP_ID", "it-" + UUID.randomUUID());
    env.put("PAPERTAPE_TRADES_PARTITIONS", "1");
    env.put("PAPERTAPE_CHECKPOINT_INTERVAL", "1s");
    env.put("PAPERTAPE_PRICE_DROP_PCT", "5");
    env.put("PAPERTAPE_PRICE_DROP_WITHIN", "3m");
    env.put("PAPERTAPE_DB_URL", TestDatabase.migrated());
    env.put("PAPERTAPE_DB_USER", TestDatabase.USER);
    env.put("PAPERTAPE_DB_PASSWORD", TestDatabase.PASSWORD);
    return SignalsJobConfig.from(new Settings(env));
  }

  private static WindowMetrics m1(String symbol, Instant start, String close) {
    BigDecimal c = new BigDecimal(close);
    return new WindowMetrics(
        symbol,
        MetricWindow.M1,
        start,
        start.plusSeconds(60),
        c,
        c,
        c,
        c,
        10,
        c,
        2,
        BigDecimal.ZERO);
  }

  private static ProducerRecord<byte[], byte[]> record(String key, byte[] value) {
    return new ProducerRecord<>(
        "ignored", key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
  }

  private static ProducerRecord<byte[], byte[]> record(String key, String value) {
    return record(key, value.getBytes(StandardCharsets.UTF_8));
  }

  private static String line(String symbol, String source, String side, String price, Instant ts) {
    return symbol + "|" + source + "|" + side + "|" + price + "|" + ts;
  }

  @Test
  void anActivatedStrategyAndThePatternSignalOnceOnTheTopicAndInTheTable(
      @InjectMiniCluster MiniCluster mini) throws Exception {
    SignalsJobConfig cfg = config();
    Topics.ensure(cfg.kafkaBootstrap(), cfg.topics());
    String sym = Pipeline.uniqueSymbol("G");
    String other = Pipeline.uniqueSymbol("H");
    String id = "it-ma-" + UUID.randomUUID().toString().substring(0, 8);

    KafkaTestBroker.produce(
        cfg.controlTopic(),
        List.of(
            record(
                "strategy/" + id,
                "{\"type\":\"strategy\",\"id\":\""
                    + id
                    + "\",\"strategy\":\"ma-crossover\",\"params\":{\"fast\":1,\"slow\":2},"
                    + "\"symbols\":[\""
                    + sym
                    + "\"]}"),
            record("strategy/broken", "{\"type\":\"strategy\",\"id\":\"broken\"")));

    // SMA(1)/SMA(2) of closes 10, 9, 11, 8, 12: BUY at 11, SELL at 8, BUY at 12. The pattern
    // (a fall of 5 % within 3 min): 10 → 9 (−10 %) and 11 → 8 (−27 %). The last window, a day
    // later, moves the watermark past all of them and crosses nothing.
    String[] closes = {"10", "9", "11", "8", "12"};
    List<WindowMetrics> metrics = new ArrayList<>();
    for (int i = 0; i < closes.length; i++) {
      metrics.add(m1(sym, T0.plusSeconds(60L * i), closes[i]));
      metrics.add(m1(other, T0.plusSeconds(60L * i), closes[i])); // the strategy is not on it
    }
    metrics.add(m1(sym, T0.plus(Duration.ofDays(1)), "12"));
    metrics.add(m1(other, T0.plus(Duration.ofDays(1)), "12"));
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    metrics.forEach(m -> records.add(record(m.symbol(), METRICS.encode(m))));

    Instant end = T0.plusSeconds(60);
    List<String> expected =
        List.of(
            line(sym, id, "BUY", "11", end.plusSeconds(120)),
            line(sym, id, "SELL", "8", end.plusSeconds(180)),
            line(sym, id, "BUY", "12", end.plusSeconds(240)),
            line(sym, "price-drop", "SELL", "9", end.plusSeconds(60)),
            line(sym, "price-drop", "SELL", "8", end.plusSeconds(180)),
            // the pattern runs on every symbol
            line(other, "price-drop", "SELL", "9", end.plusSeconds(60)),
            line(other, "price-drop", "SELL", "8", end.plusSeconds(180)));

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    SignalsJob.wire(env, cfg);
    JobClient job = env.executeAsync("signals-it");
    try {
      // the activation is in the broadcast state before the first metric is sent
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Pipeline.operatorMetric(mini, job, "controlEventsApplied") >= 1);
      KafkaTestBroker.produce(cfg.metricsTopic(), records);
      KafkaTestBroker.produce(cfg.metricsTopic(), List.of(record(sym, "{\"symbol\":")));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> storedCount(sym, other) == expected.size());
      // a replay of every metric: the strategies skip windows they consumed, the pattern drops
      // metrics behind its watermark, and the table ignores a signal id it holds
      KafkaTestBroker.produce(cfg.metricsTopic(), records);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Pipeline.operatorMetric(mini, job, "metricsValid") == 2L * records.size());
      // let the sinks hand over what they hold before the cancel
      Thread.sleep(cfg.checkpointInterval().toMillis() * 3);
      assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
    } finally {
      job.cancel().get(30, TimeUnit.SECONDS);
    }

    List<Map<String, Object>> rows =
        TestDatabase.query(
            "SELECT id, kind, symbol, source, side, price, reason, ts FROM signals"
                + " WHERE symbol IN (?, ?) ORDER BY symbol, source, ts",
            sym,
            other);
    List<String> stored = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      stored.add(
          line(
              (String) r.get("symbol"),
              (String) r.get("source"),
              (String) r.get("side"),
              ((BigDecimal) r.get("price")).stripTrailingZeros().toPlainString(),
              ((Timestamp) r.get("ts")).toInstant()));
      assertThat(r.get("kind")).isEqualTo("SIGNAL");
      assertThat(r.get("id"))
          .isEqualTo(
              SignalIds.of(
                  (String) r.get("source"),
                  (String) r.get("symbol"),
                  MetricWindow.M1,
                  ((Timestamp) r.get("ts")).toInstant(),
                  (String) r.get("side")));
    }
    assertThat(stored).containsExactlyInAnyOrderElementsOf(expected);

    // the topic holds the same signals, each once, keyed by symbol
    List<ConsumerRecord<byte[], byte[]>> published =
        KafkaTestBroker.consume(cfg.signalsTopic(), expected.size() + 1, Duration.ofSeconds(10));
    List<String> publishedLines = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : published) {
      Signal s = SIGNALS.decode(r.value());
      assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(s.symbol());
      publishedLines.add(
          line(
              s.symbol(),
              s.source(),
              s.side().name(),
              s.price().stripTrailingZeros().toPlainString(),
              s.ts()));
    }
    assertThat(publishedLines).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(published)
        .extracting(r -> SIGNALS.decode(r.value()).id())
        .containsExactlyInAnyOrderElementsOf(rows.stream().map(r -> (String) r.get("id")).toList());

    // the bad control event and the bad metric are on their dead-letter topics, with reasons
    JsonNode control =
        JSON.readTree(
            KafkaTestBroker.consume(cfg.controlDeadLetterTopic(), 1, Duration.ofSeconds(10))
                .get(0)
                .value());
    assertThat(control.get("key").asText()).isEqualTo("strategy/broken");
    assertThat(control.get("stage").asText()).isEqualTo("decode");
    assertThat(control.get("error").asText()).isNotBlank();
    JsonNode metric =
        JSON.readTree(
            KafkaTestBroker.consume(cfg.metricsDeadLetterTopic(), 1, Duration.ofSeconds(10))
                .get(0)
                .value());
    assertThat(metric.get("key").asText()).isEqualTo(sym);
    assertThat(metric.get("raw").asText()).isEqualTo("{\"symbol\":");
  }

  private static long storedCount(String... symbols) {
    return (Long)
        TestDatabase.query(
                "SELECT count(*) AS n FROM signals WHERE symbol = ANY(?)", (Object) symbols)
            .get(0)
            .get("n");
  }
}
