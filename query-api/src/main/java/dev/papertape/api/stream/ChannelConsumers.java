package dev.papertape.api.stream;

import dev.papertape.api.config.PapertapeKafkaProperties;
import dev.papertape.api.market.LatestPrices;
import dev.papertape.kafka.TopicSpec;
import dev.papertape.kafka.Topics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Starts one {@link ChannelConsumer} thread per channel with the application and stops them with
 * it. A consumer restarts itself after a failure; if its thread ends anyway (an {@link Error}), the
 * failure is recorded the same way and a new thread takes over after the back-off.
 */
@Component
public class ChannelConsumers implements SmartLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelConsumers.class);

  private final StreamProperties props;
  private final PapertapeKafkaProperties kafka;
  private final StreamHub hub;
  private final StreamMetrics metrics;
  private final LatestPrices prices;
  private final Clock clock;
  private volatile Map<Channel, ChannelConsumer> consumers = Map.of();
  private final Map<Channel, Thread> threads = new ConcurrentHashMap<>();
  private volatile boolean running;

  public ChannelConsumers(
      StreamProperties props,
      PapertapeKafkaProperties kafka,
      StreamHub hub,
      StreamMetrics metrics,
      LatestPrices prices,
      Clock clock) {
    this.props = props;
    this.kafka = kafka;
    this.hub = hub;
    this.metrics = metrics;
    this.prices = prices;
    this.clock = clock;
  }

  @Override
  public synchronized void start() {
    try {
      // every process creates the topics it needs (idempotent): the API may start first
      List<TopicSpec> specs = new ArrayList<>();
      for (Channel c : Channel.values()) {
        specs.add(
            new TopicSpec(
                props.topic(c), props.partitions(), Topics.retainedFor(props.retentionDays())));
      }
      Topics.ensure(kafka.bootstrap(), specs);
    } catch (IllegalStateException e) {
      LOG.warn("could not create the stream topics now: {} (each channel retries)", e.getMessage());
    }
    running = true;
    Map<Channel, ChannelConsumer> started = new EnumMap<>(Channel.class);
    for (Channel c : Channel.values()) {
      ChannelConsumer consumer =
          new ChannelConsumer(
              c,
              props.topic(c),
              ChannelConsumer.kafka(kafka.bootstrap(), c),
              new RecordPublisher(c, hub, metrics, prices),
              metrics,
              props.restartBackoff(),
              props.restartBackoffMax(),
              clock);
      started.put(c, consumer);
      startThread(consumer);
    }
    consumers = Collections.unmodifiableMap(started);
  }

  private void startThread(ChannelConsumer consumer) {
    Thread t = new Thread(consumer, "stream-" + consumer.channel().label());
    t.setDaemon(true);
    t.setUncaughtExceptionHandler(
        (dead, e) -> {
          // an Error ended the thread: count it like any failure, continue on a new thread
          consumer.failed(e);
          if (running) {
            startThread(consumer);
          }
        });
    threads.put(consumer.channel(), t);
    t.start();
  }

  @Override
  public synchronized void stop() {
    running = false;
    consumers.values().forEach(ChannelConsumer::stop);
    for (Thread t : threads.values()) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    consumers = Map.of();
    threads.clear();
  }

  /** The state of every channel's consumer (empty before start). */
  public Map<Channel, ConsumerStatus> statuses() {
    Map<Channel, ConsumerStatus> m = new EnumMap<>(Channel.class);
    consumers.forEach((c, consumer) -> m.put(c, consumer.status()));
    return m;
  }

  /**
   * Test hook: while {@code failure} is set (a RuntimeException, or an Error that ends the thread),
   * the channel's consumer fails with it at once, and again after every restart; {@code null} lets
   * it recover.
   */
  void failForTest(Channel c, Throwable failure) {
    consumers.get(c).failForTest(failure);
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
