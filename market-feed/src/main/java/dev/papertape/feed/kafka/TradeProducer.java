package dev.papertape.feed.kafka;

import dev.papertape.feed.FeedStatus;
import dev.papertape.model.Trade;
import dev.papertape.model.TradeCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces trades to the trades topic: key = the symbol (UTF-8), so a symbol's trades stay in one
 * partition in order; value = the {@code TradeCodec} JSON ({@link TradeCodec}). Idempotent ({@code
 * enable.idempotence}, {@code acks=all}), batched ({@code linger.ms=5}, 64 KiB batches, lz4). Sends
 * are asynchronous: acknowledgements are counted in {@link FeedStatus#produced()}, and a failed
 * send (after the producer's own retries) is recorded as the feed's fatal error. Use from one
 * thread.
 */
public final class TradeProducer implements AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final FeedStatus status;
  private final TradeCodec codec = new TradeCodec();
  private final Map<String, byte[]> keys = new HashMap<>();
  private final Callback callback;
  private boolean closed;

  public TradeProducer(String bootstrapServers, String topic, FeedStatus status) {
    this.topic = topic;
    this.status = status;
    this.callback =
        (metadata, e) -> {
          if (e == null) {
            status.recordProduced();
          } else {
            status.fail("Kafka did not accept a trade on " + topic + ": " + e);
          }
        };
    try {
      this.producer = new KafkaProducer<>(properties(bootstrapServers));
    } catch (KafkaException e) {
      throw new KafkaUnavailableException(
          "cannot create a Kafka producer for " + bootstrapServers + ": " + e.getMessage(), e);
    }
  }

  /** The producer settings. */
  public static Properties properties(String bootstrapServers) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "papertape-market-feed");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(64 * 1024));
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    return p;
  }

  /** Sends one trade asynchronously; a failure is recorded in the {@link FeedStatus}. */
  public void send(Trade trade) {
    byte[] key = keys.computeIfAbsent(trade.symbol(), s -> s.getBytes(StandardCharsets.UTF_8));
    try {
      producer.send(new ProducerRecord<>(topic, key, codec.encode(trade)), callback);
    } catch (KafkaException e) {
      status.fail("cannot send a trade to " + topic + ": " + e);
    }
  }

  /** Waits until every trade sent so far is acknowledged or failed. */
  public void flush() {
    try {
      producer.flush();
    } catch (KafkaException e) {
      status.fail("cannot flush trades to " + topic + ": " + e);
    }
  }

  /** Sends what is buffered (waiting at most {@code timeout}) and releases the producer. */
  public void close(Duration timeout) {
    if (closed) {
      return;
    }
    closed = true;
    try {
      producer.close(timeout);
    } catch (KafkaException e) {
      status.fail("cannot close the Kafka producer: " + e);
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
