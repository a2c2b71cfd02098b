package dev.papertape.flink.it;

import static dev.papertape.testing.TradeFixtures.trade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.papertape.flink.metrics.MarketMetricsJob;
import dev.papertape.flink.metrics.MetricsJobConfig;
import dev.papertape.kafka.Topics;
import dev.papertape.model.DeadLetter;
import dev.papertape.model.MetricWindow;
import dev.papertape.model.Trade;
import dev.papertape.testing.KafkaTestBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Hostile records mixed into good trades, on the real things (MiniCluster, Kafka, TimescaleDB):
 * every hostile record lands on the dead-letter topic with its reason, the job never restarts, and
 * the stored metrics still equal the SQL recomputation from the stored trades, although every good
 * trade was sent twice and part of the input was replayed later.
 */
class HostileRecordsIT {
  @RegisterExtension static final MiniClusterExtension FLINK = Pipeline.miniCluster();

  private static final Instant T0 = Instant.parse("2026-01-07T10:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Each hostile value, by what it tries, with the start of the reason the DLQ must give. */
  private static Map<String, String> hostile(String s) {
    String ts = "\"ts\":\"" + T0.plusMillis(500) + "\"";
    String ok = "\"symbol\":\"" + s + "\",\"size\":1," + ts;
    Map<String, String> m = new LinkedHashMap<>();
    m.put("{" + ok + ",\"price\":1e2147483647}", "field 'price'");
    m.put("{" + ok + ",\"price\":1e-2147483647}", "field 'price'");
    m.put("{" + ok + ",\"price\":1E+999999999}", "field 'price'");
    m.put("{" + ok + ",\"price\":" + "9".repeat(4000) + "}", "");
    m.put("{\"symbol\":\"" + s + "\",\"price\":1,\"size\":1e30," + ts + "}", "field 'size'");
    m.put("{" + ok + ",\"price\":1,\"tradeId\":\"a\\u0000b\"}", "field 'tradeId'");
    m.put("{" + ok + ",\"price\":1,\"source\":\"\\ud800\"}", "field 'source'");
    m.put(
        "{\"symbol\":\"" + s + "\",\"price\":10,\"size\":1,\"ts\":\"2099-06-01T00:00:00Z\"}",
        "field 'ts': 2099-06-01T00:00:00.000Z is more than");
    m.put(
        "{\"symbol\":\"" + s + "\",\"price\":10,\"size\":1,\"ts\":" + Long.MAX_VALUE + "}",
        "field 'ts'");
    m.put("[".repeat(5000) + "]".repeat(5000), "");
    m.put("{\"symbol\":" + "[".repeat(100) + "]".repeat(100) + "}", "");
    m.put("\u0000\u0001garbage", "not valid JSON");
    m.put("{" + ok + ",\"price\":\"12\"}", "field 'price'");
    m.put("{" + ok + ",\"price\":1,\"tradeId\":\"" + "x".repeat(200_000) + "\"}", "");
    return m;
  }

  @Test
  void hostileRecordsGoToTheDeadLetterTopicAndNothingStops(@InjectMiniCluster MiniCluster mini)
      throws Exception {
    MetricsJobConfig cfg =
        Pipeline.config(
            Map.of(
                "PAPERTAPE_WATERMARK_OUT_OF_ORDERNESS", "1s",
                "PAPERTAPE_ALLOWED_LATENESS", "0s",
                "PAPERTAPE_CHECKPOINT_INTERVAL", "1s"));
    Topics.ensure(cfg.kafkaBootstrap(), cfg.topics());
    String s = Pipeline.uniqueSymbol("H");
    Map<String, String> hostile = hostile(s);

    List<Trade> good = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      good.add(trade(s, "100." + (i % 97), 1 + i % 7, T0.plusMillis(i * 250L)));
    }
    Trade closer = trade(s, "100", 1, T0.plus(Duration.ofDays(2)));

    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    List<String> hostileValues = new ArrayList<>(hostile.keySet());
    for (int i = 0; i < good.size(); i++) {
      records.add(Pipeline.record(good.get(i)));
      records.add(Pipeline.record(good.get(i))); // every good trade twice
      if (i % 8 == 0 && i / 8 < hostileValues.size()) {
        records.add(Pipeline.raw(s, hostileValues.get(i / 8)));
      }
    }
    List<ProducerRecord<byte[], byte[]>> replay = new ArrayList<>();
    good.subList(0, 40).forEach(t -> replay.add(Pipeline.record(t))); // a file replayed later
    replay.add(Pipeline.record(closer));

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    MarketMetricsJob.wire(env, cfg);
    JobClient job = env.executeAsync("hostile-records-it");
    List<ConsumerRecord<byte[], byte[]>> dead;
    try {
      KafkaTestBroker.produce(cfg.tradesTopic(), records);
      KafkaTestBroker.produce(cfg.tradesTopic(), replay);
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () ->
                  Pipeline.storedMetrics(MetricWindow.M1, List.of(s)).size() == 1
                      && Pipeline.storedMetrics(MetricWindow.D1, List.of(s)).size() == 1
                      && Pipeline.storedTradeCount(List.of(s)) == good.size() + 1);
      dead = KafkaTestBroker.consume(cfg.deadLetterTopic(), hostile.size(), Duration.ofSeconds(30));
      assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
      assertThat(Pipeline.restarts(mini, job)).as("job restarts").isZero();
      assertThat(Pipeline.failures(mini, job)).as("job failures").isEmpty();
    } finally {
      job.cancel().get(30, TimeUnit.SECONDS);
    }

    // every hostile record is on the DLQ, once, with its reason
    Map<String, JsonNode> byRaw = new LinkedHashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : dead) {
      assertThat(r.value().length).isLessThan(DeadLetter.MAX_ENCODED_BYTES);
      JsonNode j = JSON.readTree(r.value());
      byRaw.put(j.get("sha256").asText(), j);
    }
    assertThat(byRaw).hasSize(hostile.size());
    for (Map.Entry<String, String> h : hostile.entrySet()) {
      byte[] bytes = h.getKey().getBytes(StandardCharsets.UTF_8);
      JsonNode j = byRaw.get(sha256(bytes));
      assertThat(j).as("dead letter of %.60s", h.getKey()).isNotNull();
      assertThat(j.get("size").asInt()).isEqualTo(bytes.length);
      assertThat(j.get("stage").asText()).isEqualTo("decode");
      assertThat(j.get("error").asText())
          .as("reason of %.60s", h.getKey())
          .startsWith(h.getValue());
      assertThat(j.get("error").asText().length()).isLessThan(500);
    }

    // each good trade stored and counted once: the metrics equal the recomputation
    assertThat(Pipeline.storedTradeCount(List.of(s))).isEqualTo(good.size() + 1);
    for (MetricWindow w : MetricWindow.values()) {
      assertThat(Pipeline.storedMetrics(w, List.of(s)))
          .as("window %s", w)
          .isNotEmpty()
          .isEqualTo(Pipeline.recomputedMetrics(w, List.of(s), List.of(closer.tradeId())));
    }
  }

  private static String sha256(byte[] b) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
  }
}
