package dev.papertape.feed.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * Makes some trades late: with {@code probability} a trade's event time is moved back by a uniform
 * random delay of 1 ms to {@code maxDelay} (whole milliseconds), never forward.
 *
 * @param probability chance in [0, 1] that a trade is shifted
 * @param maxDelay largest shift, at least 0
 */
public record OutOfOrderShifter(double probability, Duration maxDelay) {
  public static final OutOfOrderShifter NONE = new OutOfOrderShifter(0, Duration.ofSeconds(2));

  public OutOfOrderShifter {
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException(
          "out-of-order probability must be within [0, 1], got " + probability);
    }
    if (maxDelay == null || maxDelay.isNegative()) {
      throw new IllegalArgumentException("out-of-order max delay must be at least 0");
    }
  }

  /** {@code ts}, or {@code ts} moved back by the random delay. */
  public Instant shift(Instant ts, RandomGenerator rng) {
    long maxMillis = maxDelay.toMillis();
    if (probability == 0 || maxMillis == 0 || rng.nextDouble() >= probability) {
      return ts;
    }
    return ts.minusMillis(1 + rng.nextLong(maxMillis));
  }
}
