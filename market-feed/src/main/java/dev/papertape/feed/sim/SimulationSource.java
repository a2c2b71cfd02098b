package dev.papertape.feed.sim;

import dev.papertape.feed.Sleeper;
import dev.papertape.feed.Speed;
import dev.papertape.feed.TradeSource;
import dev.papertape.model.Trade;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * Paces a {@link GbmSimulator}.
 *
 * <ul>
 *   <li>{@code realtime}: each trade is emitted when its simulated arrival is due on the wall
 *       clock, and its event time is the wall clock at emission.
 *   <li>{@code max}: trades are emitted as fast as they are taken; event times are {@code start}
 *       plus the simulated clock (so they advance by the simulated inter-arrival gaps).
 * </ul>
 *
 * <p>Stops after {@code count} trades, or once the simulated clock passes {@code duration}
 * (wall-clock time in realtime mode), whichever comes first.
 */
public final class SimulationSource implements TradeSource {
  private final GbmSimulator simulator;
  private final Speed speed;
  private final long startMillis;
  private final long count;
  private final long durationNanos;
  private final Clock clock;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private long emitted;
  private long wallStartNanos;

  /**
   * @param speed {@link Speed#REALTIME} or {@link Speed#MAX}
   * @param start first simulated event time (max mode)
   * @param count trades to emit; {@link Long#MAX_VALUE} for no limit
   * @param duration simulated time to cover; {@code null} for no limit
   */
  public SimulationSource(
      GbmSimulator simulator,
      Speed speed,
      Instant start,
      long count,
      Duration duration,
      Clock clock,
      LongSupplier nanoTime,
      Sleeper sleeper) {
    if (!speed.isMax() && !speed.isRealtime()) {
      throw new IllegalArgumentException(
          "the simulator runs at realtime or max speed, not " + speed);
    }
    this.simulator = simulator;
    this.speed = speed;
    this.startMillis = start.toEpochMilli();
    this.count = count;
    this.durationNanos = duration == null ? Long.MAX_VALUE : duration.toNanos();
    this.clock = clock;
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
  }

  @Override
  public Trade next() {
    if (emitted >= count) {
      return null;
    }
    long at = simulator.nextArrivalNanos();
    if (at > durationNanos) {
      return null;
    }
    Instant ts;
    if (speed.isMax()) {
      ts = Instant.ofEpochMilli(startMillis + at / 1_000_000L);
    } else {
      if (emitted == 0) {
        wallStartNanos = nanoTime.getAsLong();
      }
      if (!sleeper.sleepNanos(wallStartNanos + at - nanoTime.getAsLong())) {
        return null;
      }
      ts = clock.instant();
    }
    emitted++;
    return simulator.emit(ts);
  }
}
