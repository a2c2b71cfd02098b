package dev.papertape.flink.io;

import java.time.Duration;
import org.slf4j.Logger;

/**
 * At most one WARN per interval for a recurring event (a flood of bad records must not flood the
 * log: the dead-letter topic is the record of each one); the next line says how many were left out.
 * Not thread-safe: one per operator instance, used from its task thread.
 */
public final class RateLimitedLog {
  private final Logger log;
  private final long intervalNanos;
  private long nextAt = Long.MIN_VALUE;
  private long suppressed;

  public RateLimitedLog(Logger log, Duration interval) {
    this.log = log;
    this.intervalNanos = interval.toNanos();
  }

  /** Logs {@code format} with {@code args} unless a line was logged less than an interval ago. */
  public void warn(String format, Object... args) {
    long now = System.nanoTime();
    if (nextAt != Long.MIN_VALUE && now - nextAt < 0) {
      suppressed++;
      return;
    }
    if (suppressed > 0) {
      log.warn(
          "{} similar warnings left out in the last {}",
          suppressed,
          Duration.ofNanos(intervalNanos));
      suppressed = 0;
    }
    log.warn(format, args);
    nextAt = now + intervalNanos;
  }
}
