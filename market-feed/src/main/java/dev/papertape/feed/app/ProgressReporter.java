package dev.papertape.feed.app;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.CloseableThreadContext;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Logs a progress line at a fixed interval: trades produced so far and the rate since the previous
 * line (the fields {@code produced} and {@code rate} are also JSON fields of the log event).
 */
final class ProgressReporter implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(ProgressReporter.class);

  private final ScheduledExecutorService timer;
  private final LongSupplier produced;
  private final LongSupplier nanoTime;
  private long lastCount;
  private long lastNanos;

  ProgressReporter(Duration interval, LongSupplier produced, LongSupplier nanoTime) {
    this.produced = produced;
    this.nanoTime = nanoTime;
    this.lastNanos = nanoTime.getAsLong();
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "progress");
              t.setDaemon(true);
              return t;
            });
    long ms = interval.toMillis();
    timer.scheduleAtFixedRate(this::report, ms, ms, TimeUnit.MILLISECONDS);
  }

  @SuppressWarnings("try") // the context is used by the log call, not by name
  private void report() {
    long count = produced.getAsLong();
    long now = nanoTime.getAsLong();
    double rate = rate(count - lastCount, now - lastNanos);
    lastCount = count;
    lastNanos = now;
    String rateText = String.format(Locale.ROOT, "%.1f", rate);
    try (CloseableThreadContext.Instance ctx =
        CloseableThreadContext.put("produced", Long.toString(count)).put("rate", rateText)) {
      LOG.info("progress: {} trades produced, {} trades/s", count, rateText);
    }
  }

  /** Events per second. */
  static double rate(long events, long nanos) {
    return nanos <= 0 ? 0 : events * 1e9 / nanos;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
