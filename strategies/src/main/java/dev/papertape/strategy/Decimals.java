package dev.papertape.strategy;

import dev.papertape.model.Prices;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The arithmetic of the built-ins: every quotient (an average, a rolling VWAP, a deviation, an EMA
 * step) is rounded to {@value #SCALE} decimal places {@link RoundingMode#HALF_UP half-up}; sums and
 * products are exact. 16 places keep the order of any two distinct averages of prices with 8 places
 * over at most 1,000 windows (they differ by at least 10^-8/10^6 = 10^-14), so a cross is never
 * created or hidden by rounding. Numbers in a signal's {@code reason} are shown rounded to {@value
 * dev.papertape.model.Prices#SCALE} places (percentages to 4).
 */
final class Decimals {
  /** Decimal places of every derived quantity. */
  static final int SCALE = 16;

  static final RoundingMode ROUNDING = RoundingMode.HALF_UP;

  static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private Decimals() {}

  static BigDecimal divide(BigDecimal a, BigDecimal b) {
    return a.divide(b, SCALE, ROUNDING);
  }

  /** Mean of the last {@code n} values (the list holds at least {@code n}). */
  static BigDecimal meanOfLast(List<BigDecimal> values, int n) {
    BigDecimal sum = BigDecimal.ZERO;
    for (int i = values.size() - n; i < values.size(); i++) {
      sum = sum.add(values.get(i));
    }
    return divide(sum, BigDecimal.valueOf(n));
  }

  /** A derived price or average for a human message: 8 places, trailing zeros stripped. */
  static String show(BigDecimal v) {
    return Prices.round(v).toPlainString();
  }

  /** A fraction as a percentage for a human message, e.g. {@code -1.5075%}. */
  static String percent(BigDecimal fraction) {
    BigDecimal p = fraction.multiply(HUNDRED).setScale(4, ROUNDING).stripTrailingZeros();
    return (p.scale() < 0 ? p.setScale(0) : p).toPlainString() + "%";
  }

  /** The last {@code n} elements (all when fewer), as an unmodifiable list. */
  static <T> List<T> last(List<T> values, int n) {
    return values.size() <= n
        ? List.copyOf(values)
        : List.copyOf(values.subList(values.size() - n, values.size()));
  }

  /** {@code values} with {@code v} appended, keeping the last {@code n}. */
  static <T> List<T> push(List<T> values, T v, int n) {
    int from = Math.max(0, values.size() + 1 - n);
    ArrayList<T> out = new ArrayList<>(Math.min(values.size() + 1, n));
    for (int i = from; i < values.size(); i++) {
      out.add(values.get(i));
    }
    out.add(v);
    return List.copyOf(out);
  }
}
