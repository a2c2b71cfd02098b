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

  private static final BigDecimal LIMIT = BigDecimal.TEN.pow(10);

  private Prices() {}

  /**
   * Validates a price and returns its canonical form (trailing zeros stripped, never a negative
   * scale), so equal prices are {@code equals}.
   */
  public static BigDecimal canonical(String field, BigDecimal price) {
    if (price == null) {
      throw new InvalidRecordException(field, "is missing");
    }
    if (price.signum() <= 0) {
      throw new InvalidRecordException(
          field, "must be greater than 0, got " + price.toPlainString());
    }
    if (price.compareTo(LIMIT) >= 0) {
      throw new InvalidRecordException(
          field, "must be less than 10^10, got " + price.toPlainString());
    }
    BigDecimal p = price.stripTrailingZeros();
    if (p.scale() > SCALE) {
      throw new InvalidRecordException(
          field,
          "has more than "
              + SCALE
              + " decimal places ("
              + price.toPlainString()
              + "); round it first");
    }
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
