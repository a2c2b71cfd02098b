package dev.papertape.feed.replay;

import dev.papertape.feed.Sleeper;
import dev.papertape.feed.Speed;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * Paces a replay: the first event is emitted at once; an event {@code d} later in event time is
 * emitted {@code d / factor} after it on the wall clock ({@code max}: never waits). An event
 * earlier than one already emitted (an out-of-order row) is emitted at once. Event times are not
 * changed.
 */
public final class ReplayClock {
  private final Speed speed;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private boolean anchored;
  private long firstEventMillis;
  private long wallStartNanos;

  public ReplayClock(Speed speed, LongSupplier nanoTime, Sleeper sleeper) {
    this.speed = speed;
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
  }

  /**
   * How long to wait before emitting an event at {@code ts}, in nanoseconds (0 when it is due). The
   * first call anchors event time to the wall clock.
   */
  public long delayNanos(Instant ts) {
    if (speed.isMax()) {
      return 0;
    }
    long now = nanoTime.getAsLong();
    if (!anchored) {
      anchored = true;
      firstEventMillis = ts.toEpochMilli();
      wallStartNanos = now;
      return 0;
    }
    double offsetNanos = (ts.toEpochMilli() - firstEventMillis) * 1e6 / speed.factor();
    long due = wallStartNanos + (long) offsetNanos;
    return Math.max(0, due - now);
  }

  /**
   * Waits until the event at {@code ts} is due.
   *
   * @return {@code false} when a stop was requested while waiting
   */
  public boolean await(Instant ts) {
    return sleeper.sleepNanos(delayNanos(ts));
  }
}
