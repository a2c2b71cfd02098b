package dev.papertape.ledger;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The broker's fee, rounded half-up to the cent. The minimum, the maximum and a flat fee are per
 * <em>order</em>: a market order is one fill, and a resting order that fills in parts pays, on each
 * fill, what its rate charges for that fill, raised so the order has paid at least the minimum and
 * capped so it never pays more than the maximum in all (see {@link #of(long, BigDecimal,
 * BigDecimal)}).
 */
public sealed interface Commission {
  /** The commission of a fill of {@code quantity} shares worth {@code gross} (cents). */
  default BigDecimal of(long quantity, BigDecimal gross) {
    return of(quantity, gross, Money.ZERO_CASH);
  }

  /**
   * The commission of a fill of {@code quantity} shares worth {@code gross}, for an order that has
   * already paid {@code chargedBefore} on its earlier fills: the rate's amount for this fill, at
   * least {@code min − chargedBefore}, at most {@code max − chargedBefore} (no maximum when 0),
   * never below 0, half-up to the cent. A flat fee is charged on the order's first fill only.
   */
  BigDecimal of(long quantity, BigDecimal gross, BigDecimal chargedBefore);

  /** No commission. */
  record None() implements Commission {
    @Override
    public BigDecimal of(long quantity, BigDecimal gross, BigDecimal chargedBefore) {
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
    public BigDecimal of(long quantity, BigDecimal gross, BigDecimal chargedBefore) {
      return clamp(rate.multiply(BigDecimal.valueOf(quantity)), min, max, chargedBefore);
    }
  }

  /** The same amount on every order, charged on its first fill. */
  record Flat(BigDecimal amount) implements Commission {
    public Flat {
      nonNegative("amount", amount);
    }

    @Override
    public BigDecimal of(long quantity, BigDecimal gross, BigDecimal chargedBefore) {
      return Money.cents(amount.subtract(chargedBefore).max(BigDecimal.ZERO));
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
    public BigDecimal of(long quantity, BigDecimal gross, BigDecimal chargedBefore) {
      return clamp(gross.multiply(bps).movePointLeft(4), min, max, chargedBefore);
    }
  }

  private static BigDecimal clamp(
      BigDecimal raw, BigDecimal min, BigDecimal max, BigDecimal chargedBefore) {
    BigDecimal c = raw.max(min.subtract(chargedBefore));
    if (max.signum() > 0) {
      c = c.min(max.subtract(chargedBefore));
    }
    return Money.cents(c.max(BigDecimal.ZERO));
  }

  private static void nonNegative(String name, BigDecimal v) {
    Objects.requireNonNull(v, name);
    if (v.signum() < 0) {
      throw new IllegalArgumentException("commission " + name + " must not be negative, got " + v);
    }
  }
}
