package dev.papertape.flink.io;

import dev.papertape.model.DeadLetter;
import dev.papertape.model.Signal;
import dev.papertape.model.SignalCodec;
import dev.papertape.model.TradeCodec;
import dev.papertape.model.WindowMetrics;
import dev.papertape.model.WindowMetricsCodec;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Kafka sinks of the metrics job. Values follow the data contracts (README, "Data contracts"); keys
 * are symbols.
 *
 * <p>With {@link DeliveryGuarantee#AT_LEAST_ONCE} a restore from a checkpoint may publish a
 * window's metrics again: the record is identical (same key, window and values), so consumers that
 * key by {@code (symbol, window, windowStart)} see no change. {@link
 * DeliveryGuarantee#EXACTLY_ONCE} publishes through Kafka transactions committed on checkpoints
 * (read with {@code isolation.level=read_committed}, kcat's default), at the cost of latency up to
 * one checkpoint interval.
 */
public final class KafkaSinks {
  private KafkaSinks() {}

  /** Where and how to publish. */
  public record Target(
      String bootstrap, DeliveryGuarantee guarantee, String transactionalIdPrefix) {}

  private static <T> KafkaSink<T> sink(
      Target t, KafkaRecordSerializationSchema<T> schema, String name) {
    Properties p = new Properties();
    p.setProperty("linger.ms", "20");
    p.setProperty("compression.type", "lz4");
    // below the broker's transaction.max.timeout.ms (15 min) so EXACTLY_ONCE starts
    p.setProperty("transaction.timeout.ms", "600000");
    return KafkaSink.<T>builder()
        .setBootstrapServers(t.bootstrap())
        .setRecordSerializer(schema)
        .setDeliveryGuarantee(t.guarantee())
        .setTransactionalIdPrefix(t.transactionalIdPrefix() + "-" + name)
        .setKafkaProducerConfig(p)
        .build();
  }

  public static KafkaSink<WindowMetrics> metrics(Target t, String topic) {
    WindowMetricsCodec codec = new WindowMetricsCodec();
    return sink(
        t, new KeyedJsonSerializer<>(topic, WindowMetrics::symbol, codec::encode, null), "metrics");
  }

  /** Signals and alerts ({@code price-alerts}), keyed by symbol. */
  public static KafkaSink<Signal> signals(Target t, String topic) {
    SignalCodec codec = new SignalCodec();
    return sink(
        t, new KeyedJsonSerializer<>(topic, Signal::symbol, codec::encode, null), "signals");
  }

  public static KafkaSink<DeadLetter> deadLetters(Target t, String topic) {
    return sink(
        t, new KeyedJsonSerializer<>(topic, DeadLetter::key, DeadLetter::encode, null), "dlq");
  }

  /**
   * Late trades are published as their original {@code trades} JSON (so they can be replayed), with
   * a {@code papertape.window} header naming the window they missed.
   */
  public static KafkaSink<LateTrade> lateTrades(Target t, String topic) {
    TradeCodec codec = new TradeCodec();
    return sink(
        t,
        new KeyedJsonSerializer<LateTrade>(
            topic,
            l -> l.trade().symbol(),
            l -> codec.encode(l.trade()),
            l -> {
              RecordHeaders h = new RecordHeaders();
              h.add("papertape.window", l.window().label().getBytes(StandardCharsets.UTF_8));
              return h;
            }),
        "late");
  }
}
