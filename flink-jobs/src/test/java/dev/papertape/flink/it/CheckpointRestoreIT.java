package dev.papertape.flink.it;

import static dev.papertape.testing.TradeFixtures.trade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.papertape.flink.metrics.MarketMetricsJob;
import dev.papertape.flink.metrics.MetricsJobConfig;
import dev.papertape.kafka.Topics;
import dev.papertape.model.MetricWindow;
import dev.papertape.model.Trade;
import dev.papertape.testing.KafkaTestBroker;
import dev.papertape.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job killed mid-stream and restarted from its last checkpoint (as after a crash, or {@code
 * ./papertape down} then {@code up}) leaves no duplicates and no gaps: trades between the
 * checkpoint and the kill are read again, and the stored metrics still equal the SQL recomputation.
 */
class CheckpointRestoreIT {
  @RegisterExtension static final MiniClusterExtension FLINK = Pipeline.miniCluster();

  private static final Instant T0 = Instant.parse("2026-01-06T09:00:00Z");

  @TempDir Path state;

  private static List<Trade> trades(
      String symbol, long fromMillis, long toMillis, long stepMillis) {
    List<Trade> out = new ArrayList<>();
    for (long ms = fromMillis; ms < toMillis; ms += stepMillis) {
      long cents = 10_000 + (ms / stepMillis * 7919) % 500; // deterministic, varied prices
      out.add(
          trade(
              symbol,
              cents / 100 + "." + String.format("%02d", cents % 100),
              1 + ms % 9,
              T0.plusMillis(ms)));
    }
    return out;
  }

  private static void produce(MetricsJobConfig cfg, List<Trade> trades) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    trades.forEach(t -> records.add(Pipeline.record(t)));
    KafkaTestBroker.produce(cfg.tradesTopic(), records);
  }

  private JobClient start(MetricsJobConfig cfg, Optional<String> restoreFrom) throws Exception {
    Configuration conf = new Configuration();
    conf.set(
        CheckpointingOptions.CHECKPOINTS_DIRECTORY,
        state.resolve("checkpoints").toUri().toString());
    conf.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    MarketMetricsJob.wire(env, cfg);
    StreamGraph graph = env.getStreamGraph();
    graph.setJobName("restore-it");
    restoreFrom.ifPresent(
        p -> graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(p, false)));
    return env.executeAsync(graph);
  }

  private static int deadLetters(MetricsJobConfig cfg, String marker) {
    return (int)
        KafkaTestBroker.consume(cfg.deadLetterTopic(), 100, Duration.ofSeconds(2)).stream()
            .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains(marker))
            .count();
  }

  private static long storedTrades(String symbol) {
    return (Long)
        TestDatabase.query("SELECT count(*) AS n FROM trades WHERE symbol = ?", symbol)
            .get(0)
            .get("n");
  }

  /**
   * Checkpoints are taken by hand here (the interval is an hour), so the test knows exactly which
   * records the restore must read again: everything after the checkpoint, including a malformed
   * marker record the killed job had already dead-lettered. The marker reaching the dead-letter
   * topic twice proves the re-read; the tables prove it left no duplicates.
   */
  @Test
  void aJobKilledAfterACheckpointResumesWithNoDuplicatesAndNoGaps(
      @InjectMiniCluster MiniCluster mini) throws Exception {
    MetricsJobConfig cfg =
        Pipeline.config(
            Map.of(
                "PAPERTAPE_METRICS_WINDOWS", "1s,1m",
                "PAPERTAPE_CHECKPOINT_INTERVAL", "1h",
                "PAPERTAPE_WATERMARK_OUT_OF_ORDERNESS", "500ms",
                "PAPERTAPE_ALLOWED_LATENESS", "0s"));
    Topics.ensure(cfg.kafkaBootstrap(), cfg.topics());
    String sym = Pipeline.uniqueSymbol("R");
    String marker = "not-a-trade-" + sym;
    List<Trade> first = trades(sym, 0, 90_000, 150); // 600 trades over 1.5 minutes
    List<Trade> second = trades(sym, 90_000, 180_000, 150); // 600 more
    Trade closer = trade(sym, "100.00", 1, T0.plusSeconds(600)); // moves the watermark past t=3m

    produce(cfg, first);
    JobClient job = start(cfg, Optional.empty());
    await().atMost(Duration.ofSeconds(60)).until(() -> storedTrades(sym) == first.size());
    String checkpoint = mini.triggerCheckpoint(job.getJobID()).get(60, TimeUnit.SECONDS);

    // read, stored and dead-lettered after the checkpoint: all of it is read again after the kill
    produce(cfg, second.subList(0, 100));
    KafkaTestBroker.produce(cfg.tradesTopic(), List.of(Pipeline.raw(sym, marker)));
    produce(cfg, second.subList(100, 200));
    await().atMost(Duration.ofSeconds(60)).until(() -> storedTrades(sym) == first.size() + 200);
    await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters(cfg, marker) == 1);
    job.cancel().get(30, TimeUnit.SECONDS); // the crash: no savepoint, only the checkpoint

    produce(cfg, second.subList(200, second.size()));
    produce(cfg, List.of(closer));
    JobClient resumed = start(cfg, Optional.of(checkpoint));
    try {
      int expectedMinuteWindows =
          3; // [0,1m) [1m,2m) [2m,3m) closed; the closer's window stays open
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () ->
                  Pipeline.storedMetrics(MetricWindow.M1, List.of(sym)).size()
                      == expectedMinuteWindows);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> storedTrades(sym) == first.size() + second.size() + 1);
      await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters(cfg, marker) == 2);
    } finally {
      resumed.cancel().get(30, TimeUnit.SECONDS);
    }

    assertThat(storedTrades(sym)).isEqualTo(first.size() + second.size() + 1);
    for (MetricWindow w : List.of(MetricWindow.S1, MetricWindow.M1)) {
      List<String> recomputed =
          Pipeline.recomputedMetrics(w, List.of(sym), List.of(closer.tradeId()));
      assertThat(Pipeline.storedMetrics(w, List.of(sym))).as("window %s", w).isEqualTo(recomputed);
    }
    assertThat(Pipeline.storedMetrics(MetricWindow.S1, List.of(sym))).hasSize(180);
  }
}
