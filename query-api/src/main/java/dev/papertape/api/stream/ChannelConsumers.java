package dev.papertape.api.stream;

import dev.papertape.api.config.PapertapeKafkaProperties;
import dev.papertape.api.market.LatestPrices;
import dev.papertape.kafka.TopicSpec;
import dev.papertape.kafka.Topics;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Starts one {@link ChannelConsumer} thread per channel with the application, stops them with it.
 */
@Component
public class ChannelConsumers implements SmartLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelConsumers.class);

  private final StreamProperties props;
  private final PapertapeKafkaProperties kafka;
  private final StreamHub hub;
  private final StreamMetrics metrics;
  private final LatestPrices prices;
  private final List<ChannelConsumer> consumers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running;

  public ChannelConsumers(
      StreamProperties props,
      PapertapeKafkaProperties kafka,
      StreamHub hub,
      StreamMetrics metrics,
      LatestPrices prices) {
    this.props = props;
    this.kafka = kafka;
    this.hub = hub;
    this.metrics = metrics;
    this.prices = prices;
  }

  @Override
  public void start() {
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
    for (Channel c : Channel.values()) {
      ChannelConsumer consumer =
          new ChannelConsumer(c, props.topic(c), kafka.bootstrap(), hub, metrics, prices);
      Thread t = new Thread(consumer, "stream-" + c.label());
      t.setDaemon(true);
      t.setUncaughtExceptionHandler(
          (th, e) -> LOG.error("channel {} consumer failed: {}", c.label(), e.toString(), e));
      consumers.add(consumer);
      threads.add(t);
      t.start();
    }
    running = true;
  }

  @Override
  public void stop() {
    consumers.forEach(ChannelConsumer::stop);
    for (Thread t : threads) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    consumers.clear();
    threads.clear();
    running = false;
  }

  /** Partitions read per channel (0 = not attached to its topic yet). */
  public java.util.Map<Channel, Integer> assignments() {
    java.util.Map<Channel, Integer> m = new java.util.EnumMap<>(Channel.class);
    consumers.forEach(c -> m.put(c.channel(), c.assignedPartitions()));
    return m;
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
