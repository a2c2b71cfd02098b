package dev.papertape.model;

import java.math.BigDecimal;

/**
 * Decimal numbers from outside, handled without ever expanding them: {@code 1e2147483647} is a
 * 15-byte JSON number whose plain form has two billion digits, so nothing here calls {@link
 * BigDecimal#toPlainString()} (or anything else that allocates by magnitude) before the range is
 * known.
 */
final class Numbers {
  private static final int PLAIN_DIGITS = 30;
  private static final int SHOWN_DIGITS = 12;

  private Numbers() {}

  /**
   * The decimal exponent of the leading digit plus one, as a {@code long} (never overflows): {@code
   * v} lies in [10^(m-1), 10^m) in absolute value. 0 for zero.
   */
  static long magnitude(BigDecimal v) {
    return v.signum() == 0 ? 0 : (long) v.precision() - v.scale();
  }

  /**
   * A short text for {@code v} in a message: its plain form when that is short ({@code 189.42},
   * {@code -1}, {@code 0.000000001}), else scientific with at most {@value #SHOWN_DIGITS} digits
   * ({@code 1E+2147483647}, {@code 1.23456789012…E+40}). At most about 40 characters.
   */
  static String describe(BigDecimal v) {
    if (v == null) {
      return "null";
    }
    int precision = v.precision();
    int scale = v.scale();
    if (precision <= PLAIN_DIGITS && scale >= -PLAIN_DIGITS && scale <= PLAIN_DIGITS) {
      String plain = v.toPlainString();
      if (plain.length() <= PLAIN_DIGITS + 3) {
        return plain;
      }
    }
    String digits = v.unscaledValue().abs().toString();
    int significant = digits.length();
    while (significant > 1 && digits.charAt(significant - 1) == '0') {
      significant--;
    }
    StringBuilder b = new StringBuilder(SHOWN_DIGITS + 24);
    if (v.signum() < 0) {
      b.append('-');
    }
    b.append(digits.charAt(0));
    int shown = Math.min(significant, SHOWN_DIGITS);
    if (shown > 1) {
      b.append('.').append(digits, 1, shown);
    }
    if (significant > shown) {
      b.append('…');
    }
    long exponent = (long) precision - scale - 1;
    b.append('E').append(exponent >= 0 ? "+" : "").append(exponent);
    return b.toString();
  }
}
