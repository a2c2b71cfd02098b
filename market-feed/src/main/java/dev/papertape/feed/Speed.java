package dev.papertape.feed;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * How fast events are emitted relative to their event times: {@code max} (as fast as possible),
 * {@code realtime} (1x) or a factor such as {@code 10x} or {@code 0.5x}.
 *
 * @param factor event-time seconds per wall-clock second; {@link Double#POSITIVE_INFINITY} for max
 */
public record Speed(double factor) {
  public static final Speed MAX = new Speed(Double.POSITIVE_INFINITY);
  public static final Speed REALTIME = new Speed(1.0);

  /** What {@link #parse} accepts, for error messages. */
  public static final String ACCEPTED = "max, realtime or a factor like 10x or 0.5x";

  public Speed {
    if (!(factor > 0)) {
      throw new IllegalArgumentException("speed factor must be greater than 0, got " + factor);
    }
  }

  /**
   * Parses {@code max}, {@code realtime} or {@code <factor>x}.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static Speed parse(String text) {
    String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (s.equals("max")) {
      return MAX;
    }
    if (s.equals("realtime")) {
      return REALTIME;
    }
    if (s.endsWith("x") && s.length() > 1) {
      try {
        BigDecimal f = new BigDecimal(s.substring(0, s.length() - 1));
        if (f.signum() > 0 && f.compareTo(BigDecimal.valueOf(1_000_000)) <= 0) {
          return new Speed(f.doubleValue());
        }
      } catch (NumberFormatException e) {
        // reported below with the accepted values
      }
    }
    throw new IllegalArgumentException("speed '" + text + "' is invalid: expected " + ACCEPTED);
  }

  public boolean isMax() {
    return Double.isInfinite(factor);
  }

  public boolean isRealtime() {
    return factor == 1.0;
  }

  @Override
  public String toString() {
    if (isMax()) {
      return "max";
    }
    if (isRealtime()) {
      return "realtime";
    }
    return BigDecimal.valueOf(factor).stripTrailingZeros().toPlainString() + "x";
  }
}
