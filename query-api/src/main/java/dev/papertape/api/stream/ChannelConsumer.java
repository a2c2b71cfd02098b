package dev.papertape.api.stream;

import dev.papertape.api.stream.ConsumerStatus.State;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
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
 * The one Kafka consumer of a channel in this process, and its supervisor. It reads its topic from
 * the end (live) and hands each record to the channel's {@link RecordPublisher}, which never
 * throws. Plain kafka-clients on a dedicated thread; no consumer group (all partitions assigned),
 * so every API instance sees every event.
 *
 * <p>When the consumer fails as a whole (a Kafka error, anything unexpected), it is closed, the
 * failure is counted ({@code papertape_stream_consumer_failures_total}) and logged, the channel is
 * {@link ConsumerStatus.State#DOWN} (so {@code /healthz} and readiness say so), and a new consumer
 * starts after a back-off that doubles from {@code restartBackoff} up to {@code restartBackoffMax}
 * (reset after a run that lasted that long). The new consumer resumes at the offsets where the old
 * one stopped, while the topic still holds them, so events published meanwhile still reach clients.
 * The offset of a record moves past it before the record is handled: a record that brought the
 * thread down is not read again.
 */
final class ChannelConsumer implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelConsumer.class);

  private final Channel channel;
  private final String topic;
  private final Supplier<Consumer<byte[], byte[]>> consumers;
  private final RecordPublisher publisher;
  private final StreamMetrics metrics;
  private final Duration minBackoff;
  private final Duration maxBackoff;
  private final Clock clock;
  private final CountDownLatch stopped = new CountDownLatch(1);

  /** Next offset per partition: where a restarted consumer resumes. Only the consumer thread. */
  private final Map<TopicPartition, Long> positions = new HashMap<>();

  private volatile boolean running = true;
  private volatile Consumer<byte[], byte[]> current;
  private volatile ConsumerStatus status;
  private volatile Throwable failForTest;
  private long failures;
  private Duration backoff = Duration.ZERO;
  private long upSinceNanos;

  ChannelConsumer(
      Channel channel,
      String topic,
      Supplier<Consumer<byte[], byte[]>> consumers,
      RecordPublisher publisher,
      StreamMetrics metrics,
      Duration minBackoff,
      Duration maxBackoff,
      Clock clock) {
    this.channel = channel;
    this.topic = topic;
    this.consumers = consumers;
    this.publisher = publisher;
    this.metrics = metrics;
    this.minBackoff = minBackoff;
    this.maxBackoff = maxBackoff.compareTo(minBackoff) < 0 ? minBackoff : maxBackoff;
    this.clock = clock;
    this.status = new ConsumerStatus(channel, State.STARTING, 0, 0, null, clock.instant());
    metrics.consumerUp(channel, false);
  }

  /** A plain kafka-clients consumer of raw bytes: no group, no commits, committed records only. */
  static Supplier<Consumer<byte[], byte[]>> kafka(String bootstrap, Channel channel) {
    return () ->
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
                // a resume position the topic no longer holds (retention): go live
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "latest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class));
  }

  /** Runs consumers one after the other until stopped. */
  @Override
  public void run() {
    while (running) {
      if (!backoff.isZero() && pause(backoff)) {
        break;
      }
      try {
        consume();
      } catch (WakeupException e) {
        if (running) {
          failed(e);
        }
      } catch (RuntimeException e) {
        failed(e);
      }
    }
    setStatus(State.STOPPED, 0, status.lastFailure());
    LOG.info("channel {} consumer of {} stopped", channel.label(), topic);
  }

  /**
   * Records a failure of the consumer: counted, logged, {@link State#DOWN}, and the delay before
   * the next one. Called on the consumer's thread, also for an error that ended it.
   */
  void failed(Throwable e) {
    failures++;
    metrics.consumerFailed(channel);
    boolean wasStable =
        upSinceNanos != 0 && System.nanoTime() - upSinceNanos >= maxBackoff.toNanos();
    backoff =
        backoff.isZero() || wasStable
            ? minBackoff
            : (backoff.multipliedBy(2).compareTo(maxBackoff) > 0
                ? maxBackoff
                : backoff.multipliedBy(2));
    upSinceNanos = 0;
    String what = e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    setStatus(State.DOWN, 0, what.length() > 300 ? what.substring(0, 300) + "…" : what);
    LOG.error(
        "channel {} consumer of {} failed ({} failures so far); restarting in {} ms",
        channel.label(),
        topic,
        failures,
        backoff.toMillis(),
        e);
  }

  /** Sleeps {@code d} unless stopped first; returns whether it was stopped. */
  private boolean pause(Duration d) {
    try {
      return stopped.await(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
      return true;
    }
  }

  private void consume() {
    Consumer<byte[], byte[]> consumer = consumers.get();
    current = consumer;
    try {
      if (!running) {
        return;
      }
      injectedFailure();
      List<TopicPartition> partitions = partitions(consumer);
      if (partitions.isEmpty()) {
        return; // stopped while waiting for the topic
      }
      attach(consumer, partitions);
      while (running) {
        injectedFailure();
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(250))) {
          positions.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
          publisher.handle(r);
        }
      }
    } finally {
      current = null;
      try {
        consumer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.warn("channel {}: closing its consumer failed: {}", channel.label(), e.toString());
      }
    }
  }

  /** The topic's partitions, once it exists (retrying while it does not, or Kafka is away). */
  private List<TopicPartition> partitions(Consumer<byte[], byte[]> consumer) {
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
      if (partitions.isEmpty() && pause(Duration.ofSeconds(2))) {
        return List.of();
      }
    }
    return partitions;
  }

  /** Reads each partition from where the previous consumer stopped, or (new) from its end. */
  private void attach(Consumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
    consumer.assign(partitions);
    List<TopicPartition> fresh =
        partitions.stream().filter(p -> !positions.containsKey(p)).toList();
    consumer.seekToEnd(fresh);
    partitions.stream()
        .filter(positions::containsKey)
        .forEach(p -> consumer.seek(p, positions.get(p)));
    // resolve the positions now: live from here, or resumed
    partitions.forEach(p -> positions.put(p, consumer.position(p)));
    upSinceNanos = System.nanoTime();
    setStatus(State.UP, partitions.size(), status.lastFailure());
    LOG.info(
        "channel {} reads {} ({} partitions) {}",
        channel.label(),
        topic,
        partitions.size(),
        fresh.size() == partitions.size() ? "from the end" : "from where it stopped");
  }

  private void setStatus(State s, int partitions, String lastFailure) {
    ConsumerStatus old = status;
    Instant since = old.state() == s ? old.since() : clock.instant();
    status = new ConsumerStatus(channel, s, partitions, failures, lastFailure, since);
    metrics.consumerUp(channel, s == State.UP);
  }

  private void injectedFailure() {
    Throwable e = failForTest;
    if (e instanceof RuntimeException r) {
      throw r;
    }
    if (e instanceof Error err) {
      throw err;
    }
  }

  ConsumerStatus status() {
    return status;
  }

  Channel channel() {
    return channel;
  }

  /**
   * Test hook: while {@code e} (a {@link RuntimeException} or an {@link Error}, which ends the
   * thread) is set, the consumer fails with it, again after each restart; {@code null} heals it.
   */
  void failForTest(Throwable e) {
    failForTest = e;
  }

  void stop() {
    running = false;
    stopped.countDown();
    Consumer<byte[], byte[]> c = current;
    if (c != null) {
      c.wakeup();
    }
  }
}
