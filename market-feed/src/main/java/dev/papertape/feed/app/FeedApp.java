package dev.papertape.feed.app;

import dev.papertape.config.Settings.InvalidSettingException;
import dev.papertape.feed.FeedStatus;
import dev.papertape.feed.Sleeper;
import dev.papertape.feed.TradeSource;
import dev.papertape.feed.config.FeedConfig;
import dev.papertape.feed.kafka.KafkaUnavailableException;
import dev.papertape.feed.kafka.TradeProducer;
import dev.papertape.kafka.TopicSpec;
import dev.papertape.kafka.Topics;
import dev.papertape.model.Trade;
import dev.papertape.ops.HealthServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One run of the feed process: {@code /healthz}, the trades topic, the producer, the progress log,
 * and the loop that moves trades from a {@link TradeSource} to Kafka until the source ends, a stop
 * is requested (SIGTERM) or Kafka fails.
 */
public final class FeedApp implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(FeedApp.class);

  /** How long closing waits for buffered trades to be acknowledged. */
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(10);

  private final FeedConfig config;
  private final FeedStatus status;
  private final StopSignal stop = new StopSignal();
  private final CountDownLatch closed = new CountDownLatch(1);
  private HealthServer health;
  private TradeProducer producer;
  private ProgressReporter progress;

  /**
   * @param mode {@code simulate} or {@code replay}, shown by {@code /healthz}
   */
  public FeedApp(FeedConfig config, String mode) {
    this.config = config;
    this.status = new FeedStatus(mode);
  }

  /**
   * Runs a whole feed process: starts, moves every trade of the source to Kafka, closes; a SIGTERM
   * stops the loop and closes within {@link #CLOSE_TIMEOUT}.
   *
   * @param sources makes the source, given the sleeper its pacing must use (a stop ends the wait)
   * @return the exit code
   */
  public static int runProcess(
      FeedConfig config, String mode, Function<Sleeper, TradeSource> sources) {
    try (FeedApp app = new FeedApp(config, mode);
        TradeSource source = sources.apply(app.stop)) {
      Thread hook = new Thread(app::stopAndAwaitClose, "shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        app.start();
        return app.run(source);
      } finally {
        removeHook(hook);
      }
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      LOG.debug("shutting down: the stop hook is running ({})", e.getMessage());
    }
  }

  /**
   * Serves {@code /healthz}, creates the trades topic when missing and connects the producer.
   *
   * @throws InvalidSettingException when the health port cannot be bound
   * @throws KafkaUnavailableException when Kafka cannot be reached
   */
  public void start() {
    LOG.info("market feed {} starting: {}", status.mode(), config.describe());
    try {
      health =
          HealthServer.start(
              config.bindAddress(), config.healthPort(), () -> FeedHealth.of(status));
    } catch (IOException e) {
      throw new InvalidSettingException(
          "PAPERTAPE_FEED_PORT",
          Integer.toString(config.healthPort()),
          "a free TCP port for /healthz on "
              + config.bindAddress().getHostAddress()
              + " (PAPERTAPE_BIND_ADDRESS; "
              + e.getMessage()
              + ")");
    }
    LOG.info(
        "serving /healthz on {}:{} (PAPERTAPE_BIND_ADDRESS)",
        config.bindAddress().getHostAddress(),
        health.port());
    ensureTopic();
    producer = new TradeProducer(config.kafkaBootstrap(), config.tradesTopic(), status);
    progress = new ProgressReporter(PROGRESS_INTERVAL, status::produced, System::nanoTime);
  }

  /** Creates the trades topic when missing and waits until its partitions take trades. */
  private void ensureTopic() {
    TopicSpec spec =
        new TopicSpec(
            config.tradesTopic(),
            config.tradesPartitions(),
            Topics.retainedFor(config.topicRetentionDays()));
    try {
      Topics.ensure(config.kafkaBootstrap(), List.of(spec));
    } catch (RuntimeException e) {
      throw new KafkaUnavailableException(
          "Kafka at "
              + config.kafkaBootstrap()
              + " (PAPERTAPE_KAFKA_BOOTSTRAP) is unavailable: "
              + e.getMessage(),
          e);
    }
  }

  /** The port {@code /healthz} is served on. */
  public int healthPort() {
    return health.port();
  }

  public FeedStatus status() {
    return status;
  }

  /** The sleeper sources must pace with, so that a stop ends their waits. */
  public Sleeper sleeper() {
    return stop;
  }

  /**
   * Moves trades from {@code source} to Kafka until it ends, a stop is requested or Kafka fails;
   * then waits for the acknowledgements (at most {@link #CLOSE_TIMEOUT} after a stop).
   *
   * @return {@link ExitCodes#OK}
   * @throws KafkaUnavailableException when Kafka did not accept every trade
   */
  public int run(TradeSource source) {
    status.moveTo(FeedStatus.State.UP);
    long startNanos = System.nanoTime();
    long sent = 0;
    while (!stop.isStopped() && !status.failed()) {
      Trade t = source.next();
      if (t == null) {
        break;
      }
      producer.send(t);
      sent++;
    }
    if (stop.isStopped()) {
      LOG.info("stop requested: sending the buffered trades (at most {})", CLOSE_TIMEOUT);
      producer.close(CLOSE_TIMEOUT);
    } else {
      producer.flush();
      producer.close(CLOSE_TIMEOUT);
      status.moveTo(FeedStatus.State.DONE);
    }
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    LOG.info(
        "sent {} trades, {} acknowledged, in {} s ({} trades/s)",
        sent,
        status.produced(),
        String.format(Locale.ROOT, "%.3f", seconds),
        String.format(
            Locale.ROOT, "%.0f", ProgressReporter.rate(sent, System.nanoTime() - startNanos)));
    if (status.failed()) {
      throw new KafkaUnavailableException(status.lastError(), null);
    }
    return ExitCodes.OK;
  }

  /** Requests a stop: the run loop ends and pacing waits return at once. */
  public void stop() {
    status.moveTo(FeedStatus.State.STOPPING);
    stop.stop();
  }

  private void stopAndAwaitClose() {
    LOG.info("SIGTERM: stopping");
    stop();
    try {
      if (!closed.await(CLOSE_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS)) {
        LOG.warn("the feed did not close in time; exiting anyway");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    try {
      if (progress != null) {
        progress.close();
      }
      if (producer != null) {
        producer.close(CLOSE_TIMEOUT);
      }
      if (health != null) {
        health.close();
      }
    } finally {
      closed.countDown();
    }
  }
}
