package dev.papertape.feed;

/** Waits that a stop request cuts short; injected so pacing is testable without real sleeps. */
@FunctionalInterface
public interface Sleeper {
  /**
   * Waits {@code nanos} nanoseconds (returns at once when not positive).
   *
   * @return {@code false} when a stop was requested before or during the wait
   */
  boolean sleepNanos(long nanos);
}
