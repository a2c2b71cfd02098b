package dev.papertape.flink.metrics;

import dev.papertape.config.Settings;
import dev.papertape.flink.io.DeadLetterChannel;
import dev.papertape.flink.io.JdbcSinks;
import dev.papertape.flink.io.JdbcUpsertSink;
import dev.papertape.flink.io.KafkaSinks;
import dev.papertape.kafka.TopicSpec;
import dev.papertape.kafka.Topics;
import dev.papertape.model.MetricWindow;
import dev.papertape.model.UnknownFields;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * Every setting of the market metrics job, read once from the environment ({@code .env.example}
 * documents each), validated at start.
 *
 * @param kafkaBootstrap {@code PAPERTAPE_KAFKA_BOOTSTRAP}
 * @param tradesTopic {@code PAPERTAPE_TRADES_TOPIC}
 * @param deadLetterTopic {@code PAPERTAPE_TRADES_DLQ_TOPIC}
 * @param lateTopic {@code PAPERTAPE_TRADES_LATE_TOPIC}
 * @param metricsTopic {@code PAPERTAPE_METRICS_TOPIC}
 * @param consumerGroup {@code PAPERTAPE_METRICS_GROUP_ID}: offsets committed on checkpoints
 * @param partitions {@code PAPERTAPE_TRADES_PARTITIONS}: partitions of topics created at start
 * @param retentionDays {@code PAPERTAPE_TOPIC_RETENTION_DAYS}
 * @param windows {@code PAPERTAPE_METRICS_WINDOWS}: e.g. {@code 1s,1m,5m,1h,1d}
 * @param outOfOrderness {@code PAPERTAPE_WATERMARK_OUT_OF_ORDERNESS}: bounded out-of-orderness
 * @param idleness {@code PAPERTAPE_WATERMARK_IDLENESS}: a partition quiet this long stops holding
 *     the watermark back
 * @param allowedLateness {@code PAPERTAPE_ALLOWED_LATENESS}: how long after a window closed a late
 *     trade still updates it (60 s by default: the backlog of a partition that resumes after a
 *     broker outage later than the others still counts)
 * @param checkpointInterval {@code PAPERTAPE_CHECKPOINT_INTERVAL}
 * @param parallelism {@code PAPERTAPE_FLINK_PARALLELISM}
 * @param delivery {@code PAPERTAPE_KAFKA_DELIVERY}: {@code at-least-once} or {@code exactly-once}
 * @param unknownFields {@code PAPERTAPE_UNKNOWN_FIELDS}: {@code reject} or {@code ignore}
 * @param maxClockSkew {@code PAPERTAPE_MAX_CLOCK_SKEW}: trades dated further ahead of the
 *     processing time go to the dead-letter topic
 * @param maxSymbols {@code PAPERTAPE_MAX_SYMBOLS}: the {@code symbols} table registers new symbols
 *     while it holds fewer
 * @param dbRetryFor {@code PAPERTAPE_DB_RETRY_FOR}: how long the database sinks retry a transient
 *     failure (back-pressuring the job) before the task fails
 * @param db {@code PAPERTAPE_DB_URL}, {@code PAPERTAPE_DB_USER}, {@code PAPERTAPE_DB_PASSWORD}
 */
public record MetricsJobConfig(
    String kafkaBootstrap,
    String tradesTopic,
    String deadLetterTopic,
    String lateTopic,
    String metricsTopic,
    String consumerGroup,
    int partitions,
    int retentionDays,
    List<MetricWindow> windows,
    Duration outOfOrderness,
    Duration idleness,
    Duration allowedLateness,
    Duration checkpointInterval,
    int parallelism,
    DeliveryGuarantee delivery,
    UnknownFields unknownFields,
    Duration maxClockSkew,
    int maxSymbols,
    Duration dbRetryFor,
    JdbcSinks.Connection db)
    implements Serializable {

  public static MetricsJobConfig from(Settings s) {
    return new MetricsJobConfig(
        s.string("PAPERTAPE_KAFKA_BOOTSTRAP", "localhost:9092"),
        s.string("PAPERTAPE_TRADES_TOPIC", Topics.TRADES),
        s.string("PAPERTAPE_TRADES_DLQ_TOPIC", Topics.TRADES_DLQ),
        s.string("PAPERTAPE_TRADES_LATE_TOPIC", Topics.TRADES_LATE),
        s.string("PAPERTAPE_METRICS_TOPIC", Topics.AGGREGATED_METRICS),
        s.string("PAPERTAPE_METRICS_GROUP_ID", "papertape-market-metrics"),
        s.integer("PAPERTAPE_TRADES_PARTITIONS", 4, 1, 1024),
        s.integer("PAPERTAPE_TOPIC_RETENTION_DAYS", 7, 1, 36500),
        s.list(
            "PAPERTAPE_METRICS_WINDOWS",
            List.of(MetricWindow.values()),
            MetricWindow::parse,
            "a comma-separated subset of " + MetricWindow.labels()),
        s.duration("PAPERTAPE_WATERMARK_OUT_OF_ORDERNESS", Duration.ofSeconds(2)),
        s.duration("PAPERTAPE_WATERMARK_IDLENESS", Duration.ofSeconds(10)),
        // a minute: after a broker outage the partitions resume one after the other, and the
        // backlog of a later one is behind the watermark the first carried ahead
        // (PartitionResumeIT)
        s.duration("PAPERTAPE_ALLOWED_LATENESS", Duration.ofSeconds(60)),
        s.duration("PAPERTAPE_CHECKPOINT_INTERVAL", Duration.ofSeconds(10)),
        s.integer("PAPERTAPE_FLINK_PARALLELISM", 1, 1, 256),
        s.choice(
            "PAPERTAPE_KAFKA_DELIVERY",
            DeliveryGuarantee.AT_LEAST_ONCE,
            MetricsJobConfig::parseDelivery,
            "at-least-once or exactly-once"),
        s.choice(
            "PAPERTAPE_UNKNOWN_FIELDS",
            UnknownFields.REJECT,
            UnknownFields::parse,
            "reject or ignore"),
        s.duration("PAPERTAPE_MAX_CLOCK_SKEW", Duration.ofSeconds(5)),
        s.integer("PAPERTAPE_MAX_SYMBOLS", 1000, 1, 1_000_000),
        s.duration("PAPERTAPE_DB_RETRY_FOR", Duration.ofMinutes(5)),
        new JdbcSinks.Connection(
            s.string("PAPERTAPE_DB_URL", "jdbc:postgresql://localhost:5432/papertape"),
            s.string("PAPERTAPE_DB_USER", "papertape"),
            s.string("PAPERTAPE_DB_PASSWORD", "papertape")));
  }

  static DeliveryGuarantee parseDelivery(String v) {
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "at-least-once" -> DeliveryGuarantee.AT_LEAST_ONCE;
      case "exactly-once" -> DeliveryGuarantee.EXACTLY_ONCE;
      default -> throw new IllegalArgumentException(v);
    };
  }

  /** The largest window computed: how long {@link AdmitTrades} remembers trade ids. */
  public Duration largestWindow() {
    return windows.stream().map(MetricWindow::size).max(Duration::compareTo).orElseThrow();
  }

  /** The database sinks' target; refused rows go to the dead-letter topic. */
  public JdbcSinks.Target jdbcTarget() {
    return new JdbcSinks.Target(
        db,
        DeadLetterChannel.kafka(kafkaBootstrap, deadLetterTopic),
        new JdbcUpsertSink.Options(1000, Duration.ofMillis(200), dbRetryFor));
  }

  public KafkaSinks.Target kafkaTarget() {
    return new KafkaSinks.Target(kafkaBootstrap, delivery, consumerGroup);
  }

  public List<TopicSpec> topics() {
    return Topics.pipeline(
        tradesTopic, deadLetterTopic, lateTopic, metricsTopic, partitions, retentionDays);
  }

  /** The settings as one log line (no password). */
  public String describe() {
    return String.format(
        "kafka=%s topics=[%s -> %s, dlq=%s, late=%s] group=%s windows=%s outOfOrderness=%s"
            + " idleness=%s allowedLateness=%s checkpoint=%s parallelism=%d delivery=%s"
            + " maxClockSkew=%s maxSymbols=%d dbRetryFor=%s db=%s",
        kafkaBootstrap,
        tradesTopic,
        metricsTopic,
        deadLetterTopic,
        lateTopic,
        consumerGroup,
        windows,
        outOfOrderness,
        idleness,
        allowedLateness,
        checkpointInterval,
        parallelism,
        delivery,
        maxClockSkew,
        maxSymbols,
        dbRetryFor,
        db.url());
  }
}
