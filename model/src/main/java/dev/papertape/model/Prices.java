package dev.papertape.model;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Exact price arithmetic. Prices are {@link BigDecimal} with at most {@value #SCALE} decimal places
 * and less than 10^10 (the database column is {@code numeric(18,8)}); derived prices (VWAP) are
 * rounded to {@value #SCALE} places {@link RoundingMode#HALF_UP half-up}, which is what
 * PostgreSQL's {@code round(numeric, 8)} does, so a SQL recomputation gives the same digits.
 */
public final class Prices {
  /** Decimal places kept for every stored price. */
  public static final int SCALE = 8;

  /** Rounding of derived prices; equals PostgreSQL {@code round(numeric, int)} for prices. */
  public static final RoundingMode ROUNDING = RoundingMode.HALF_UP;

  /** Integer digits a price may have: prices are less than 10^10. */
  private static final int MAX_INTEGER_DIGITS = 10;

  private Prices() {}

  /**
   * Validates a price and returns its canonical form (trailing zeros stripped, never a negative
   * scale), so equal prices are {@code equals}. Any {@link BigDecimal} is answered quickly and with
   * a short message, {@code 1e2147483647} and {@code 1e-2147483647} included: the range is checked
   * from the number's precision and scale before anything formats or rescales it.
   *
   * @throws InvalidRecordException naming {@code field} unless 0 &lt; price &lt; 10^10 with at most
   *     {@value #SCALE} decimal places
   */
  public static BigDecimal canonical(String field, BigDecimal price) {
    return canonical(field, price, false);
  }

  /**
   * Like {@link #canonical(String, BigDecimal)}, but 0 is accepted when {@code zeroAllowed} (a
   * price difference such as a window's range).
   */
  static BigDecimal canonical(String field, BigDecimal price, boolean zeroAllowed) {
    if (price == null) {
      throw new InvalidRecordException(field, "is missing");
    }
    if (price.signum() < 0 || price.signum() == 0 && !zeroAllowed) {
      throw new InvalidRecordException(
          field,
          (zeroAllowed ? "must be at least 0, got " : "must be greater than 0, got ")
              + Numbers.describe(price));
    }
    if (price.signum() == 0) {
      return BigDecimal.ZERO;
    }
    long magnitude = Numbers.magnitude(price);
    if (magnitude > MAX_INTEGER_DIGITS) {
      throw new InvalidRecordException(
          field, "must be less than 10^10, got " + Numbers.describe(price));
    }
    // below 10^-8 nothing positive has 8 decimal places; above, stripping is cheap
    if (magnitude <= -SCALE
        || price.scale() > SCALE && price.stripTrailingZeros().scale() > SCALE) {
      throw new InvalidRecordException(
          field,
          "has more than "
              + SCALE
              + " decimal places ("
              + Numbers.describe(price)
              + "); round it first");
    }
    BigDecimal p = price.stripTrailingZeros();
    return p.scale() < 0 ? p.setScale(0) : p;
  }

  /**
   * Canonical form of a derived price: rounded to {@value #SCALE} places, trailing zeros stripped.
   */
  public static BigDecimal round(BigDecimal value) {
    BigDecimal p = value.setScale(SCALE, ROUNDING).stripTrailingZeros();
    return p.scale() < 0 ? p.setScale(0) : p;
  }
}
