package dev.papertape.api.portfolio.ledger;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The broker's fee for one fill, rounded half-up to the cent. A market order is one fill, so for it
 * "per fill" and "per order" are the same.
 */
public sealed interface Commission {
  /** The commission of a fill of {@code quantity} shares worth {@code gross} (cents). */
  BigDecimal of(long quantity, BigDecimal gross);

  /** No commission. */
  record None() implements Commission {
    @Override
    public BigDecimal of(long quantity, BigDecimal gross) {
      return Money.ZERO_CASH;
    }
  }

  /**
   * {@code quantity × rate}, at least {@code min}, at most {@code max} (0: no maximum), then
   * rounded.
   */
  record PerShare(BigDecimal rate, BigDecimal min, BigDecimal max) implements Commission {
    public PerShare {
      nonNegative("rate", rate);
      nonNegative("min", min);
      nonNegative("max", max);
      if (max.signum() > 0 && max.compareTo(min) < 0) {
        throw new IllegalArgumentException("commission max " + max + " is below min " + min);
      }
    }

    @Override
    public BigDecimal of(long quantity, BigDecimal gross) {
      return clamp(rate.multiply(BigDecimal.valueOf(quantity)), min, max);
    }
  }

  /** The same amount on every fill. */
  record Flat(BigDecimal amount) implements Commission {
    public Flat {
      nonNegative("amount", amount);
    }

    @Override
    public BigDecimal of(long quantity, BigDecimal gross) {
      return Money.cents(amount);
    }
  }

  /** {@code gross × bps / 10000}, at least {@code min}, at most {@code max} (0: no maximum). */
  record BasisPoints(BigDecimal bps, BigDecimal min, BigDecimal max) implements Commission {
    public BasisPoints {
      nonNegative("bps", bps);
      nonNegative("min", min);
      nonNegative("max", max);
      if (max.signum() > 0 && max.compareTo(min) < 0) {
        throw new IllegalArgumentException("commission max " + max + " is below min " + min);
      }
    }

    @Override
    public BigDecimal of(long quantity, BigDecimal gross) {
      return clamp(gross.multiply(bps).movePointLeft(4), min, max);
    }
  }

  private static BigDecimal clamp(BigDecimal raw, BigDecimal min, BigDecimal max) {
    BigDecimal c = raw.max(min);
    if (max.signum() > 0) {
      c = c.min(max);
    }
    return Money.cents(c);
  }

  private static void nonNegative(String name, BigDecimal v) {
    Objects.requireNonNull(v, name);
    if (v.signum() < 0) {
      throw new IllegalArgumentException("commission " + name + " must not be negative, got " + v);
    }
  }
}
