package dev.papertape.api.stream;

import dev.papertape.api.market.LatestPrices;
import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.Signal;
import dev.papertape.model.SignalCodec;
import dev.papertape.model.Trade;
import dev.papertape.model.TradeCodec;
import dev.papertape.model.UnknownFields;
import dev.papertape.model.WindowMetrics;
import dev.papertape.model.WindowMetricsCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Kafka consumer of a channel in this process: reads its topic from the end (live),
 * validates each record with the shared codec, re-encodes it in the canonical contract form and
 * publishes it to the {@link StreamHub}. Unreadable records are counted and skipped (the pipeline's
 * dead-letter topics keep them). Plain kafka-clients on a dedicated thread; no consumer group (all
 * partitions assigned), so every API instance sees every event.
 */
final class ChannelConsumer implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelConsumer.class);

  private final Channel channel;
  private final String topic;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final StreamHub hub;
  private final StreamMetrics metrics;
  private final LatestPrices prices;
  private final TradeCodec trades = new TradeCodec(UnknownFields.IGNORE);
  private final WindowMetricsCodec windows = new WindowMetricsCodec(UnknownFields.IGNORE);
  private final SignalCodec signals = new SignalCodec(UnknownFields.IGNORE);
  private volatile boolean running = true;
  private volatile int assignedPartitions;

  ChannelConsumer(
      Channel channel,
      String topic,
      String bootstrap,
      StreamHub hub,
      StreamMetrics metrics,
      LatestPrices prices) {
    this.channel = channel;
    this.topic = topic;
    this.hub = hub;
    this.metrics = metrics;
    this.prices = prices;
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.CLIENT_ID_CONFIG,
                "papertape-api-" + channel.label() + "-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class));
  }

  @Override
  public void run() {
    try {
      assignFromEnd();
      while (running) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(250))) {
          handle(r);
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } finally {
      consumer.close(Duration.ofSeconds(5));
      LOG.info("channel {} consumer of {} stopped", channel.label(), topic);
    }
  }

  private void assignFromEnd() {
    List<TopicPartition> partitions = List.of();
    while (running && partitions.isEmpty()) {
      try {
        partitions =
            consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        if (partitions.isEmpty()) {
          LOG.warn("topic {} of channel {} does not exist yet; retrying", topic, channel.label());
        }
      } catch (WakeupException e) {
        throw e;
      } catch (KafkaException e) {
        LOG.warn(
            "cannot reach Kafka for topic {} of channel {} ({}); retrying",
            topic,
            channel.label(),
            e.toString());
      }
      if (partitions.isEmpty()) {
        sleep();
      }
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // resolve the end offsets now: live from here
    assignedPartitions = partitions.size();
    LOG.info(
        "channel {} reads {} ({} partitions) from the end",
        channel.label(),
        topic,
        partitions.size());
  }

  private void sleep() {
    try {
      Thread.sleep(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private void handle(ConsumerRecord<byte[], byte[]> r) {
    try {
      switch (channel) {
        case TRADES -> {
          Trade t =
              trades.decode(r.value(), TradeCodec.fallbackId(r.topic(), r.partition(), r.offset()));
          prices.update(t);
          hub.publish(channel, t.symbol(), utf8(trades.encode(t)));
        }
        case METRICS -> {
          WindowMetrics m = windows.decode(r.value());
          hub.publish(channel, m.symbol(), utf8(windows.encode(m)));
        }
        case SIGNALS -> {
          Signal s = signals.decode(r.value());
          hub.publish(channel, s.symbol(), utf8(signals.encode(s)));
        }
        default -> throw new IllegalStateException("no decoder for channel " + channel);
      }
    } catch (InvalidRecordException e) {
      metrics.invalid(channel);
      LOG.debug(
          "skipping unreadable record {}-{}@{}: {}",
          r.topic(),
          r.partition(),
          r.offset(),
          e.getMessage());
    }
  }

  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Partitions this consumer reads; 0 until its topic exists. */
  int assignedPartitions() {
    return assignedPartitions;
  }

  Channel channel() {
    return channel;
  }

  void stop() {
    running = false;
    consumer.wakeup();
  }
}
