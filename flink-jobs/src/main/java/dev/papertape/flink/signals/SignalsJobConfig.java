package dev.papertape.flink.signals;

import dev.papertape.config.Settings;
import dev.papertape.flink.io.DeadLetterChannel;
import dev.papertape.flink.io.JdbcSinks;
import dev.papertape.flink.io.JdbcUpsertSink;
import dev.papertape.flink.io.KafkaSinks;
import dev.papertape.kafka.TopicSpec;
import dev.papertape.kafka.Topics;
import dev.papertape.model.UnknownFields;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * Every setting of the signals job, read once from the environment ({@code .env.example} documents
 * each), validated at start. Settings shared with the metrics job (Kafka, database, checkpoints,
 * watermarks) have the same names and defaults.
 *
 * @param kafkaBootstrap {@code PAPERTAPE_KAFKA_BOOTSTRAP}
 * @param metricsTopic {@code PAPERTAPE_METRICS_TOPIC}: the input
 * @param metricsDeadLetterTopic {@code PAPERTAPE_METRICS_DLQ_TOPIC}: unreadable metrics and signal
 *     rows the database refused
 * @param controlTopic {@code PAPERTAPE_CONTROL_TOPIC}: the compacted strategy-control topic, read
 *     from its earliest offset on every fresh start
 * @param controlDeadLetterTopic {@code PAPERTAPE_CONTROL_DLQ_TOPIC}: invalid control events
 * @param signalsTopic {@code PAPERTAPE_SIGNALS_TOPIC}: the output (price-alerts)
 * @param consumerGroup {@code PAPERTAPE_SIGNALS_GROUP_ID}: offsets of the metrics committed on
 *     checkpoints
 * @param partitions {@code PAPERTAPE_TRADES_PARTITIONS}: partitions of topics created at start
 * @param retentionDays {@code PAPERTAPE_TOPIC_RETENTION_DAYS}
 * @param outOfOrderness {@code PAPERTAPE_WATERMARK_OUT_OF_ORDERNESS}: of the metrics' event time
 *     (their window end), for the pattern strategies
 * @param idleness {@code PAPERTAPE_WATERMARK_IDLENESS}
 * @param checkpointInterval {@code PAPERTAPE_CHECKPOINT_INTERVAL}
 * @param parallelism {@code PAPERTAPE_FLINK_PARALLELISM}
 * @param delivery {@code PAPERTAPE_KAFKA_DELIVERY}
 * @param unknownFields {@code PAPERTAPE_UNKNOWN_FIELDS}: in metrics and control events
 * @param maxClockSkew {@code PAPERTAPE_MAX_CLOCK_SKEW}: metrics whose window ends further ahead of
 *     the processing time go to the dead-letter topic
 * @param dbRetryFor {@code PAPERTAPE_DB_RETRY_FOR}
 * @param priceDrop {@code PAPERTAPE_PRICE_DROP_PCT}, {@code PAPERTAPE_PRICE_DROP_WITHIN}: the
 *     built-in CEP pattern, or {@code null} when off
 * @param db {@code PAPERTAPE_DB_URL}, {@code PAPERTAPE_DB_USER}, {@code PAPERTAPE_DB_PASSWORD}
 */
public record SignalsJobConfig(
    String kafkaBootstrap,
    String metricsTopic,
    String metricsDeadLetterTopic,
    String controlTopic,
    String controlDeadLetterTopic,
    String signalsTopic,
    String consumerGroup,
    int partitions,
    int retentionDays,
    Duration outOfOrderness,
    Duration idleness,
    Duration checkpointInterval,
    int parallelism,
    DeliveryGuarantee delivery,
    UnknownFields unknownFields,
    Duration maxClockSkew,
    Duration dbRetryFor,
    PriceDrop.Params priceDrop,
    JdbcSinks.Connection db)
    implements Serializable {

  public static SignalsJobConfig from(Settings s) {
    return new SignalsJobConfig(
        s.string("PAPERTAPE_KAFKA_BOOTSTRAP", "localhost:9092"),
        s.string("PAPERTAPE_METRICS_TOPIC", Topics.AGGREGATED_METRICS),
        s.string("PAPERTAPE_METRICS_DLQ_TOPIC", Topics.AGGREGATED_METRICS_DLQ),
        s.string("PAPERTAPE_CONTROL_TOPIC", Topics.STRATEGY_CONTROL),
        s.string("PAPERTAPE_CONTROL_DLQ_TOPIC", Topics.STRATEGY_CONTROL_DLQ),
        s.string("PAPERTAPE_SIGNALS_TOPIC", Topics.PRICE_ALERTS),
        s.string("PAPERTAPE_SIGNALS_GROUP_ID", "papertape-signals"),
        s.integer("PAPERTAPE_TRADES_PARTITIONS", 4, 1, 1024),
        s.integer("PAPERTAPE_TOPIC_RETENTION_DAYS", 7, 1, 36500),
        s.duration("PAPERTAPE_WATERMARK_OUT_OF_ORDERNESS", Duration.ofSeconds(2)),
        s.duration("PAPERTAPE_WATERMARK_IDLENESS", Duration.ofSeconds(10)),
        s.duration("PAPERTAPE_CHECKPOINT_INTERVAL", Duration.ofSeconds(10)),
        s.integer("PAPERTAPE_FLINK_PARALLELISM", 1, 1, 256),
        s.choice(
            "PAPERTAPE_KAFKA_DELIVERY",
            DeliveryGuarantee.AT_LEAST_ONCE,
            SignalsJobConfig::parseDelivery,
            "at-least-once or exactly-once"),
        s.choice(
            "PAPERTAPE_UNKNOWN_FIELDS",
            UnknownFields.REJECT,
            UnknownFields::parse,
            "reject or ignore"),
        s.duration("PAPERTAPE_MAX_CLOCK_SKEW", Duration.ofSeconds(5)),
        s.duration("PAPERTAPE_DB_RETRY_FOR", Duration.ofMinutes(5)),
        PriceDrop.Params.from(s),
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

  /** The database sink's target; refused rows go to the metrics dead-letter topic. */
  public JdbcSinks.Target jdbcTarget() {
    return new JdbcSinks.Target(
        db,
        DeadLetterChannel.kafka(kafkaBootstrap, metricsDeadLetterTopic),
        new JdbcUpsertSink.Options(500, Duration.ofMillis(200), dbRetryFor));
  }

  public KafkaSinks.Target kafkaTarget() {
    return new KafkaSinks.Target(kafkaBootstrap, delivery, consumerGroup);
  }

  /** The topics the job reads and writes (the metrics topic too, should it start first). */
  public List<TopicSpec> topics() {
    List<TopicSpec> all = new ArrayList<>();
    all.add(new TopicSpec(metricsTopic, partitions, Topics.retainedFor(retentionDays)));
    all.addAll(
        Topics.signals(
            signalsTopic,
            controlTopic,
            metricsDeadLetterTopic,
            controlDeadLetterTopic,
            partitions,
            retentionDays));
    return List.copyOf(all);
  }

  /** The settings as one log line (no password). */
  public String describe() {
    return String.format(
        "kafka=%s topics=[%s + %s -> %s, dlq=%s, %s] group=%s outOfOrderness=%s idleness=%s"
            + " checkpoint=%s parallelism=%d delivery=%s maxClockSkew=%s dbRetryFor=%s"
            + " priceDrop=%s db=%s",
        kafkaBootstrap,
        metricsTopic,
        controlTopic,
        signalsTopic,
        metricsDeadLetterTopic,
        controlDeadLetterTopic,
        consumerGroup,
        outOfOrderness,
        idleness,
        checkpointInterval,
        parallelism,
        delivery,
        maxClockSkew,
        dbRetryFor,
        priceDrop == null ? "off" : priceDrop,
        db.url());
  }
}
