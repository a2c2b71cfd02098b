package dev.papertape.strategy;

import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.TextFields;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How much an auto-executed signal trades.
 *
 * @param mode {@code quantity}: {@code value} shares (a whole number from 1 to 10^9); {@code
 *     notional}: shares worth {@code value} in cash at the signal's price (more than 0, at most
 *     10^12, at most 8 places); {@code percentOfCash}: {@code value} % of the portfolio's cash
 *     (more than 0, at most 100, at most 4 places)
 * @param value the amount, canonical (trailing zeros stripped)
 */
public record Sizing(Mode mode, BigDecimal value) {

  /** The sizing modes; {@link #label()} is the wire form. */
  public enum Mode {
    QUANTITY("quantity"),
    NOTIONAL("notional"),
    PERCENT_OF_CASH("percentOfCash");

    private final String label;

    Mode(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    public static Mode parse(String v) {
      for (Mode m : values()) {
        if (m.label.equals(v)) {
          return m;
        }
      }
      throw new InvalidRecordException(
          "sizing.mode",
          (v == null ? "is missing" : TextFields.quote(v) + " is not a sizing mode")
              + "; accepted: "
              + Arrays.stream(values()).map(Mode::label).collect(Collectors.joining(", ")));
    }
  }

  public Sizing {
    if (mode == null) {
      throw new InvalidRecordException("sizing.mode", "is missing");
    }
    if (value == null) {
      throw new InvalidRecordException("sizing.value", "is missing");
    }
    switch (mode) {
      case QUANTITY:
        value =
            check(
                value,
                BigDecimal.ONE,
                new BigDecimal("1e9"),
                0,
                "a whole number from 1 to 1000000000");
        break;
      case NOTIONAL:
        value =
            check(
                value,
                null,
                new BigDecimal("1e12"),
                8,
                "more than 0 and at most 1000000000000, with at most 8 decimal places");
        break;
      default:
        value =
            check(
                value,
                null,
                BigDecimal.valueOf(100),
                4,
                "more than 0 and at most 100, with at most 4 decimal places");
        break;
    }
  }

  private static BigDecimal check(
      BigDecimal v, BigDecimal min, BigDecimal max, int places, String accepted) {
    boolean ok =
        v.signum() > 0
            && (min == null || v.compareTo(min) >= 0)
            && v.compareTo(max) <= 0
            && v.stripTrailingZeros().scale() <= places;
    if (!ok) {
      throw new InvalidRecordException("sizing.value", "must be " + accepted);
    }
    BigDecimal s = v.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }
}
