package dev.papertape.flink.it;

import static dev.papertape.testing.TradeFixtures.trade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.papertape.config.Settings;
import dev.papertape.flink.local.ClusterConfig;
import dev.papertape.flink.local.LocalJob;
import dev.papertape.flink.metrics.MarketMetricsJob;
import dev.papertape.flink.metrics.MetricsJobConfig;
import dev.papertape.kafka.Topics;
import dev.papertape.model.MetricWindow;
import dev.papertape.model.Trade;
import dev.papertape.testing.KafkaTestBroker;
import dev.papertape.testing.TestDatabase;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.flink.configuration.MemorySize;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The metrics job on a real Flink session cluster of separate processes, as {@code ./papertape up
 * --flink cluster} runs it: a JobManager and two TaskManagers started from Flink's entrypoint
 * classes on the Maven Central artifacts ({@code target/flink-cluster-classpath.txt}), the shaded
 * jar submitted with Flink's CLI frontend. Trades in Kafka → metrics equal to the SQL recomputation
 * through a SIGKILL of a TaskManager (the job recovers from its checkpoint on the other one) and a
 * stop-with-savepoint + resubmission from that savepoint: nothing missing, nothing counted twice.
 * Ports are free ports, so it never clashes with a running stack.
 */
class FlinkClusterIT {
  private static final Instant T0 = Instant.parse("2026-02-02T10:00:00Z");
  private static final Path WORK = Path.of("target", "flink-cluster-it").toAbsolutePath();

  private static FlinkClusterProcesses cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    FlinkClusterProcesses.deleteRecursively(WORK);
    ClusterConfig config =
        new ClusterConfig(
            InetAddress.getLoopbackAddress(),
            FlinkClusterProcesses.freePort(),
            FlinkClusterProcesses.freePort(),
            FlinkClusterProcesses.freePortRange(3),
            2,
            2,
            MemorySize.parse("768m"),
            MemorySize.parse("1g"),
            WORK.resolve("state"),
            Duration.ofSeconds(10));
    cluster = FlinkClusterProcesses.start(config, WORK);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static List<Trade> trades(List<String> symbols, long fromMillis, long toMillis) {
    List<Trade> out = new ArrayList<>();
    long step = 250;
    for (long ms = fromMillis; ms < toMillis; ms += step) {
      for (String s : symbols) {
        long cents = 20_000 + (ms / step * 7919 + s.hashCode()) % 700;
        out.add(
            trade(
                s,
                Math.floorDiv(cents, 100) + "." + String.format("%02d", Math.floorMod(cents, 100)),
                1 + Math.floorMod(ms + s.hashCode(), 9),
                T0.plusMillis(ms)));
      }
    }
    return out;
  }

  private static void produce(String topic, List<Trade> trades) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    trades.forEach(t -> records.add(Pipeline.record(t)));
    KafkaTestBroker.produce(topic, records);
  }

  @Test
  void theMetricsJobSurvivesATaskManagerKillAndAStopWithSavepoint() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("PAPERTAPE_KAFKA_BOOTSTRAP", KafkaTestBroker.bootstrap());
    env.put("PAPERTAPE_TRADES_TOPIC", KafkaTestBroker.uniqueTopic("trades"));
    env.put("PAPERTAPE_TRADES_DLQ_TOPIC", KafkaTestBroker.uniqueTopic("trades-dlq"));
    env.put("PAPERTAPE_TRADES_LATE_TOPIC", KafkaTestBroker.uniqueTopic("trades-late"));
    env.put("PAPERTAPE_METRICS_TOPIC", KafkaTestBroker.uniqueTopic("aggregated-metrics"));
    env.put("PAPERTAPE_METRICS_GROUP_ID", "cluster-it-" + UUID.randomUUID());
    env.put("PAPERTAPE_TRADES_PARTITIONS", "2");
    env.put("PAPERTAPE_DB_URL", TestDatabase.migrated());
    env.put("PAPERTAPE_DB_USER", TestDatabase.USER);
    env.put("PAPERTAPE_DB_PASSWORD", TestDatabase.PASSWORD);
    env.put("PAPERTAPE_METRICS_WINDOWS", "1s,1m");
    env.put("PAPERTAPE_CHECKPOINT_INTERVAL", "2s");
    env.put("PAPERTAPE_WATERMARK_OUT_OF_ORDERNESS", "500ms");
    // two partitions: one that resumes (or gets its split) a moment after the other is behind
    // the watermark the other moved; a late trade within this updates its window (see
    // PartitionResumeIT), so the stored windows are complete
    env.put("PAPERTAPE_ALLOWED_LATENESS", "5m");
    // two slots per TaskManager: the job spans both, and still fits on one after a kill
    env.put("PAPERTAPE_FLINK_PARALLELISM", "2");
    MetricsJobConfig cfg = MetricsJobConfig.from(new Settings(env));
    Topics.ensure(cfg.kafkaBootstrap(), cfg.topics());

    // enough symbols that both partitions and both key ranges get trades
    List<String> symbols = new ArrayList<>();
    for (String p : List.of("CA", "CB", "CC", "CD", "CE", "CF")) {
      symbols.add(Pipeline.uniqueSymbol(p));
    }
    List<Trade> first = trades(symbols, 0, 60_000);
    List<Trade> second = trades(symbols, 60_000, 120_000);
    List<Trade> third = trades(symbols, 120_000, 180_000);
    // one per symbol, so every partition's watermark passes the last window (+ its lateness)
    List<Trade> closers = new ArrayList<>();
    symbols.forEach(sym -> closers.add(trade(sym, "200.00", 1, T0.plusSeconds(900))));

    // 1. submitted with Flink's CLI, runs on the two TaskManagers
    produce(cfg.tradesTopic(), first);
    String job = cluster.submit(MarketMetricsJob.class, LocalJob.METRICS, env, null);
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> Pipeline.storedTradeCount(symbols) == first.size());
    cluster.awaitRunningOn(
        job, Set.of(ClusterConfig.taskManagerId(1), ClusterConfig.taskManagerId(2)));

    // 2. SIGKILL of a TaskManager after a checkpoint, mid-stream: restored on the other one
    long checkpoints = cluster.completedCheckpoints(job);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> cluster.completedCheckpoints(job) > checkpoints);
    produce(cfg.tradesTopic(), second.subList(0, second.size() / 2));
    cluster.killTaskManager(1);
    produce(cfg.tradesTopic(), second.subList(second.size() / 2, second.size()));
    cluster.awaitRunningOn(job, Set.of(ClusterConfig.taskManagerId(2)));
    assertThat(cluster.failures(job)).as("failures seen by the job").isGreaterThanOrEqualTo(1);
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> Pipeline.storedTradeCount(symbols) == first.size() + second.size());

    // 3. stop with a savepoint, trades arrive meanwhile, resubmitted from the savepoint
    String savepoint = cluster.stopWithSavepoint(job);
    assertThat(cluster.jobState(job)).isEqualTo("FINISHED");
    produce(cfg.tradesTopic(), third);
    produce(cfg.tradesTopic(), closers);
    String resumed = cluster.submit(MarketMetricsJob.class, LocalJob.METRICS, env, savepoint);
    assertThat(cluster.restoredFrom(resumed)).isEqualTo(savepoint);
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                Pipeline.storedTradeCount(symbols)
                    == first.size() + second.size() + third.size() + closers.size());
    // every window up to 3m closed and written (the closers' own stay open); late updates upserted
    List<String> closerIds = closers.stream().map(Trade::tradeId).toList();
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              for (MetricWindow w : List.of(MetricWindow.S1, MetricWindow.M1)) {
                assertThat(Pipeline.storedMetrics(w, symbols))
                    .as("window %s equals the SQL recomputation", w)
                    .containsExactlyElementsOf(Pipeline.recomputedMetrics(w, symbols, closerIds));
              }
            });
    cluster.cancel(resumed);
    assertThat(Pipeline.storedMetrics(MetricWindow.M1, symbols)).hasSize(3 * symbols.size());
    assertThat(Pipeline.storedMetrics(MetricWindow.S1, symbols)).hasSize(180 * symbols.size());
    assertThat(Path.of(URI.create(savepoint)))
        .as("the savepoint is in the job's own directory")
        .startsWith(WORK.resolve("state").resolve("metrics").resolve("savepoints"));
  }
}
