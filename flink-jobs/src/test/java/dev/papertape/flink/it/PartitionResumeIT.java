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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a broker outage does to the partitions of {@code trades} (seen in {@code ./papertape
 * chaos}): every partition falls silent and goes idle, then they resume one after the other. The
 * first to resume carries the watermark ahead on its own (the others are idle), so the backlog of a
 * partition that resumes a moment later is behind the watermark. With the default allowed lateness
 * those trades still count in their windows, as if there had been no outage.
 */
class PartitionResumeIT {
  @RegisterExtension
  static final org.apache.flink.test.junit5.MiniClusterExtension FLINK = Pipeline.miniCluster();

  private static final Instant T0 = Instant.parse("2026-01-09T15:00:00Z");

  private static List<ProducerRecord<byte[], byte[]>> on(int partition, List<Trade> trades) {
    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
    for (Trade t : trades) {
      ProducerRecord<byte[], byte[]> r = Pipeline.record(t);
      out.add(new ProducerRecord<>(r.topic(), partition, r.key(), r.value()));
    }
    return out;
  }

  /** {@code n} trades of {@code symbol}, 100 ms apart from {@code from}. */
  private static List<Trade> trades(String symbol, Instant from, int n) {
    List<Trade> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(trade(symbol, "50." + (10 + i % 80), 1 + i % 7, from.plusMillis(100L * i)));
    }
    return out;
  }

  @Test
  void theBacklogOfAPartitionThatResumesLaterStillCountsInItsWindows() throws Exception {
    // the default allowed lateness is what is under test: not overridden here
    MetricsJobConfig cfg =
        Pipeline.config(
            Map.of(
                "PAPERTAPE_TRADES_PARTITIONS", "2",
                "PAPERTAPE_METRICS_WINDOWS", "1s,1m",
                "PAPERTAPE_CHECKPOINT_INTERVAL", "1s",
                "PAPERTAPE_WATERMARK_OUT_OF_ORDERNESS", "500ms",
                "PAPERTAPE_WATERMARK_IDLENESS", "1s"));
    Topics.ensure(cfg.kafkaBootstrap(), cfg.topics());
    String first = Pipeline.uniqueSymbol("F");
    String later = Pipeline.uniqueSymbol("L");
    List<Trade> sent = new ArrayList<>();

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    MarketMetricsJob.wire(env, cfg);
    JobClient job = env.executeAsync("partition-resume-it");
    List<Trade> closers;
    try {
      // both partitions flowing
      List<Trade> before0 = trades(first, T0, 20);
      List<Trade> before1 = trades(later, T0, 20);
      KafkaTestBroker.produce(cfg.tradesTopic(), on(0, before0));
      KafkaTestBroker.produce(cfg.tradesTopic(), on(1, before1));
      sent.addAll(before0);
      sent.addAll(before1);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Pipeline.storedTradeCount(List.of(first, later)) == sent.size());
      // the outage: nothing arrives for longer than the idleness, both partitions go idle
      Thread.sleep(3_000);
      // partition 0 resumes first, with what was produced just after the outage (30 s later)...
      List<Trade> resumed0 = trades(first, T0.plusSeconds(32), 20);
      KafkaTestBroker.produce(cfg.tradesTopic(), on(0, resumed0));
      sent.addAll(resumed0);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Pipeline.storedTradeCount(List.of(first)) == 40);
      Thread.sleep(1_500); // the watermark it carries reaches the windows
      // ... partition 1 a moment later, with the trades it held from the start of the outage
      List<Trade> backlog1 = trades(later, T0.plusSeconds(2), 20);
      KafkaTestBroker.produce(cfg.tradesTopic(), on(1, backlog1));
      sent.addAll(backlog1);
      closers =
          List.of(
              trade(first, "50.00", 1, T0.plus(Duration.ofDays(1))),
              trade(later, "50.00", 1, T0.plus(Duration.ofDays(1))));
      KafkaTestBroker.produce(cfg.tradesTopic(), on(0, closers.subList(0, 1)));
      KafkaTestBroker.produce(cfg.tradesTopic(), on(1, closers.subList(1, 2)));

      long minuteWindows =
          sent.stream().map(t -> t.symbol() + t.ts().getEpochSecond() / 60).distinct().count();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(
              () ->
                  Pipeline.storedTradeCount(List.of(first, later)) == sent.size() + 2
                      && Pipeline.storedMetrics(MetricWindow.M1, List.of(first, later)).size()
                          == minuteWindows);
      Thread.sleep(1_000); // late updates, if any, are written within a checkpoint
    } finally {
      job.cancel().get(30, TimeUnit.SECONDS);
    }
    List<String> closerIds = closers.stream().map(Trade::tradeId).toList();
    for (MetricWindow w : List.of(MetricWindow.S1, MetricWindow.M1)) {
      assertThat(Pipeline.storedMetrics(w, List.of(first, later)))
          .as("window %s: every trade of the backlog counted", w)
          .isEqualTo(Pipeline.recomputedMetrics(w, List.of(first, later), closerIds));
    }
  }
}
