package dev.papertape.feed.sim;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Turns a model price (a {@code double} of the GBM path) into an exact trade price: the double's
 * exact binary value rounded to a multiple of the tick size {@link RoundingMode#HALF_EVEN
 * half-even}, never below one tick.
 */
public final class PriceRounder {
  private final BigDecimal tick;
  private final double tickDouble;

  public PriceRounder(BigDecimal tick) {
    if (tick == null || tick.signum() <= 0) {
      throw new IllegalArgumentException("tick size must be greater than 0, got " + tick);
    }
    if (tick.stripTrailingZeros().scale() > 8) {
      throw new IllegalArgumentException(
          "tick size must have at most 8 decimal places, got " + tick.toPlainString());
    }
    this.tick = tick;
    this.tickDouble = tick.doubleValue();
  }

  public BigDecimal tick() {
    return tick;
  }

  /** The price rounded to the tick grid, at least one tick. */
  public BigDecimal round(double price) {
    if (!Double.isFinite(price)) {
      throw new IllegalArgumentException("price is not a finite number: " + price);
    }
    double quotient = price / tickDouble;
    double floor = Math.floor(quotient);
    double fraction = quotient - floor;
    long ticks;
    if (quotient < 1e15 && Math.abs(fraction - 0.5) > 8 * Math.ulp(quotient)) {
      ticks = (long) floor + (fraction > 0.5 ? 1 : 0);
    } else {
      ticks = exactTicks(price);
    }
    if (ticks <= 0) {
      return tick;
    }
    return BigDecimal.valueOf(ticks).multiply(tick);
  }

  /** The exact half-even rounding of {@code price / tick}. */
  long exactTicks(double price) {
    return new BigDecimal(price).divide(tick, 0, RoundingMode.HALF_EVEN).longValueExact();
  }
}
