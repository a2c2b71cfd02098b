package dev.papertape.feed;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The live state of the feed, shared by the run loop, the producer's callbacks and {@code
 * /healthz}. Thread-safe.
 */
public final class FeedStatus {
  /** Where the feed is in its life. */
  public enum State {
    /** Connecting to Kafka; not producing yet. */
    STARTING,
    /** Producing. */
    UP,
    /** Every trade was produced; the process is about to exit. */
    DONE,
    /** Stopping on request (SIGTERM). */
    STOPPING,
    /** A fatal error: see {@link #lastError()}. */
    DOWN
  }

  private final String mode;
  private final AtomicLong produced = new AtomicLong();
  private volatile State state = State.STARTING;
  private volatile String lastError;

  /**
   * @param mode {@code simulate} or {@code replay}
   */
  public FeedStatus(String mode) {
    this.mode = mode;
  }

  public String mode() {
    return mode;
  }

  /** Trades Kafka acknowledged. */
  public long produced() {
    return produced.get();
  }

  public void recordProduced() {
    produced.incrementAndGet();
  }

  public State state() {
    return state;
  }

  /** Moves to {@code next} unless the feed is already down. */
  public void moveTo(State next) {
    if (state != State.DOWN) {
      state = next;
    }
  }

  /** Records a fatal error: the feed is down. */
  public void fail(String error) {
    lastError = error;
    state = State.DOWN;
  }

  /** The latest fatal error, or {@code null}. */
  public String lastError() {
    return lastError;
  }

  public boolean failed() {
    return lastError != null;
  }

  /** Producing (or done) without a fatal error. */
  public boolean healthy() {
    State s = state;
    return lastError == null && (s == State.UP || s == State.DONE);
  }
}
