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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real database outage in the middle of the stream (the test database's server stopped for 30 s,
 * every connection closed, new ones refused) while trades keep arriving: the database sinks wait it
 * out (back-pressure and retry), the job neither fails nor restarts, and once the database is back
 * every trade is stored exactly once and the stored metrics equal the SQL recomputation.
 */
class DatabaseOutageIT {
  @RegisterExtension static final MiniClusterExtension FLINK = Pipeline.miniCluster();

  private static final Instant T0 = Instant.parse("2026-01-08T11:00:00Z");
  private static final Duration OUTAGE = Duration.ofSeconds(30);
  private static final long STEP_MILLIS = 100; // event time between two trades

  /** Produces trades in bursts of 10 every 250 ms for {@code duration}; returns them. */
  private static List<Trade> stream(
      MetricsJobConfig cfg, String symbol, int from, Duration duration)
      throws InterruptedException {
    List<Trade> sent = new ArrayList<>();
    long end = System.nanoTime() + duration.toNanos();
    int n = from;
    while (System.nanoTime() < end) {
      List<ProducerRecord<byte[], byte[]>> burst = new ArrayList<>();
      for (int i = 0; i < 10; i++, n++) {
        long cents = 10_000 + (n * 7919L) % 500; // deterministic, varied prices
        Trade t =
            trade(
                symbol,
                cents / 100 + "." + String.format("%02d", cents % 100),
                1 + n % 9,
                T0.plusMillis(n * STEP_MILLIS));
        sent.add(t);
        burst.add(Pipeline.record(t));
      }
      KafkaTestBroker.produce(cfg.tradesTopic(), burst);
      Thread.sleep(250);
    }
    return sent;
  }

  @Test
  void theSinksWaitOutADatabaseOutageAndStoreEveryTradeOnce(@InjectMiniCluster MiniCluster mini)
      throws Exception {
    MetricsJobConfig cfg =
        Pipeline.config(
            Map.of(
                "PAPERTAPE_METRICS_WINDOWS", "1s,1m",
                "PAPERTAPE_CHECKPOINT_INTERVAL", "1s",
                "PAPERTAPE_WATERMARK_OUT_OF_ORDERNESS", "500ms",
                "PAPERTAPE_ALLOWED_LATENESS", "0s"));
    Topics.ensure(cfg.kafkaBootstrap(), cfg.topics());
    String sym = Pipeline.uniqueSymbol("O");
    List<Trade> sent = new ArrayList<>();

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    MarketMetricsJob.wire(env, cfg);
    JobClient job = env.executeAsync("database-outage-it");
    Trade closer;
    long restarts;
    try {
      // the stream is flowing and being stored when the database goes away
      sent.addAll(stream(cfg, sym, 0, Duration.ofSeconds(2)));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Pipeline.storedTradeCount(List.of(sym)) > 0);
      sent.addAll(stream(cfg, sym, sent.size(), Duration.ofSeconds(1)));
      TestDatabase.stopServer();
      try {
        sent.addAll(stream(cfg, sym, sent.size(), OUTAGE));
      } finally {
        TestDatabase.startServer();
      }
      sent.addAll(stream(cfg, sym, sent.size(), Duration.ofSeconds(2)));
      closer = trade(sym, "100.00", 1, T0.plus(Duration.ofDays(1))); // closes every window above
      KafkaTestBroker.produce(cfg.tradesTopic(), List.of(Pipeline.record(closer)));

      long minuteWindows = sent.stream().map(t -> t.ts().getEpochSecond() / 60).distinct().count();
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(
              () ->
                  Pipeline.storedTradeCount(List.of(sym)) == sent.size() + 1
                      && Pipeline.storedMetrics(MetricWindow.M1, List.of(sym)).size()
                          == minuteWindows);
      assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
      // the sinks did meet the outage (and retried) rather than miss it
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Pipeline.operatorMetric(mini, job, "writeRetries") > 0);
      restarts = Pipeline.restarts(mini, job);
      assertThat(Pipeline.failures(mini, job)).as("job failures").isEmpty();
    } finally {
      job.cancel().get(30, TimeUnit.SECONDS);
    }
    assertThat(restarts).as("job restarts").isZero();

    // every trade stored once: the count, and no (symbol, ts, trade_id) twice
    assertThat(Pipeline.storedTradeCount(List.of(sym))).isEqualTo(sent.size() + 1);
    assertThat(
            TestDatabase.query(
                "SELECT count(*) AS n FROM (SELECT 1 FROM trades WHERE symbol = ?"
                    + " GROUP BY symbol, ts, trade_id HAVING count(*) > 1) d",
                sym))
        .first()
        .extracting(r -> r.get("n"))
        .isEqualTo(0L);
    assertThat(
            TestDatabase.query(
                "SELECT count(DISTINCT trade_id) AS n FROM trades WHERE symbol = ?", sym))
        .first()
        .extracting(r -> r.get("n"))
        .isEqualTo((long) sent.size() + 1);
    for (MetricWindow w : List.of(MetricWindow.S1, MetricWindow.M1)) {
      assertThat(Pipeline.storedMetrics(w, List.of(sym)))
          .as("window %s", w)
          .isNotEmpty()
          .isEqualTo(Pipeline.recomputedMetrics(w, List.of(sym), List.of(closer.tradeId())));
    }
  }
}
