package dev.papertape.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The topics of the pipeline and how they are made. Every process that touches Kafka calls {@link
 * #ensure} at start (idempotent), so the stack needs no separate set-up step.
 *
 * <p>The replication factor is the broker's {@code default.replication.factor} (1 locally, 3 on a
 * real cluster).
 *
 * <p>Retention is by broker append time ({@code message.timestamp.type=LogAppendTime}): a replayed
 * trade from years ago keeps its event time in the payload ({@code ts}) and is kept for the
 * retention period counted from its arrival, instead of being deleted on arrival as an old
 * CreateTime would be.
 */
public final class Topics {
  public static final String TRADES = "trades";
  public static final String TRADES_DLQ = "trades-dlq";
  public static final String TRADES_LATE = "trades-late";
  public static final String AGGREGATED_METRICS = "aggregated-metrics";
  public static final String PRICE_ALERTS = "price-alerts";
  public static final String AGGREGATED_METRICS_DLQ = "aggregated-metrics-dlq";
  public static final String STRATEGY_CONTROL = "strategy-control";
  public static final String STRATEGY_CONTROL_DLQ = "strategy-control-dlq";

  private static final long DAY_MS = TimeUnit.DAYS.toMillis(1);

  private Topics() {}

  /** Topic configs for a data topic kept {@code retentionDays} after arrival. */
  public static Map<String, String> retainedFor(long retentionDays) {
    return Map.of(
        "message.timestamp.type", "LogAppendTime",
        "retention.ms", Long.toString(retentionDays * DAY_MS),
        "cleanup.policy", "delete");
  }

  /**
   * Topic configs of a compacted topic: the last record of each key is kept for ever, a tombstone
   * (null value) removes its key after {@code delete.retention.ms} (1 day by default), so a reader
   * from the earliest offset rebuilds the current set.
   */
  public static Map<String, String> compacted() {
    return Map.of("cleanup.policy", "compact");
  }

  /**
   * The signals job's topics: {@code signals} (price-alerts) with {@code partitions} partitions
   * kept {@code retentionDays}; the compacted control topic with one partition (few records, one
   * order); the dead-letter topics with one partition kept 30 days.
   */
  public static List<TopicSpec> signals(
      String signals,
      String control,
      String metricsDlq,
      String controlDlq,
      int partitions,
      long retentionDays) {
    return List.of(
        new TopicSpec(signals, partitions, retainedFor(retentionDays)),
        new TopicSpec(control, 1, compacted()),
        new TopicSpec(metricsDlq, 1, retainedFor(30)),
        new TopicSpec(controlDlq, 1, retainedFor(30)));
  }

  /**
   * The pipeline's topics: {@code trades} and {@code aggregated-metrics} with {@code partitions}
   * partitions kept {@code retentionDays}; the dead-letter and late topics with one partition kept
   * 30 days (they are for people to inspect).
   */
  public static List<TopicSpec> pipeline(
      String trades, String dlq, String late, String metrics, int partitions, long retentionDays) {
    return List.of(
        new TopicSpec(trades, partitions, retainedFor(retentionDays)),
        new TopicSpec(metrics, partitions, retainedFor(retentionDays)),
        new TopicSpec(dlq, 1, retainedFor(30)),
        new TopicSpec(late, 1, retainedFor(30)));
  }

  /**
   * Creates the topics that do not exist yet (existing ones are left as they are), then waits until
   * every partition of every listed topic is served by its leader.
   *
   * <p>Right after a topic is created a partition's leader can be in the cluster metadata a moment
   * before it accepts requests; an idempotent producer whose first batch is refused then while its
   * next batches get through is stuck retrying with OUT_OF_ORDER_SEQUENCE_NUMBER until it times
   * out. Asking each leader for its end offset, which it answers only once it leads, closes that
   * window.
   *
   * @throws IllegalStateException naming the broker and what to check when it cannot be done
   */
  public static void ensure(String bootstrapServers, List<TopicSpec> specs) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    try (Admin admin = Admin.create(p)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (TopicSpec s : specs) {
        if (!existing.contains(s.name())) {
          missing.add(
              new NewTopic(s.name(), Optional.of(s.partitions()), Optional.empty())
                  .configs(s.configs()));
        }
      }
      if (!missing.isEmpty()) {
        try {
          admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
          // another process created it between list and create: that is the goal
        }
      }
      awaitLeaders(admin, specs.stream().map(TopicSpec::name).toList());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      throw new IllegalStateException(
          "cannot create or reach the Kafka topics "
              + specs.stream().map(TopicSpec::name).toList()
              + " on "
              + bootstrapServers
              + " ("
              + e.getMessage()
              + "): is the broker running? Try ./papertape status",
          e);
    }
  }

  private static final long LEADER_WAIT_MS = 30_000;

  /**
   * Describing a topic or asking a partition's leader can still answer UNKNOWN_TOPIC_OR_PARTITION
   * (or another retriable error) for a moment after the topic's creation has been acknowledged; the
   * admin client does not retry those for describe, so this does, for up to 30 s.
   */
  private static void awaitLeaders(Admin admin, List<String> topics)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LEADER_WAIT_MS);
    long backoffMs = 50;
    while (true) {
      try {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (TopicDescription d :
            admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
          d.partitions()
              .forEach(
                  tp ->
                      latest.put(
                          new TopicPartition(d.name(), tp.partition()), OffsetSpec.latest()));
        }
        admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 1_000);
      }
    }
  }
}
