package dev.papertape.strategy;

import dev.papertape.model.TextFields;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One declared parameter of a strategy type: what the API lists, what the README's table shows, and
 * the one parser of its text form.
 *
 * @param name the key in a control event's {@code params}
 * @param type integer, decimal or one of fixed values
 * @param defaultValue the canonical text used when the parameter is absent
 * @param min the least accepted value (integer and decimal), else {@code null}
 * @param max the greatest accepted value (integer and decimal), else {@code null}
 * @param values the accepted values of a {@link Type#ENUM}, lower case, else empty
 * @param description one sentence for people
 */
public record ParamSpec(
    String name,
    Type type,
    String defaultValue,
    BigDecimal min,
    BigDecimal max,
    List<String> values,
    String description) {

  /** The parameter types. */
  public enum Type {
    INT,
    DECIMAL,
    ENUM;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Decimal places a decimal parameter may have. */
  public static final int MAX_DECIMAL_PLACES = 4;

  /** Longest text read for a value. */
  private static final int MAX_TEXT = 32;

  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]{1,10}");
  private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]{1,12})(\\.[0-9]{1,12})?");

  public ParamSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    values = List.copyOf(values);
  }

  public static ParamSpec integer(String name, int defaultValue, int min, int max, String text) {
    return new ParamSpec(
        name,
        Type.INT,
        Integer.toString(defaultValue),
        BigDecimal.valueOf(min),
        BigDecimal.valueOf(max),
        List.of(),
        text);
  }

  public static ParamSpec decimal(
      String name, String defaultValue, String min, String max, String text) {
    return new ParamSpec(
        name,
        Type.DECIMAL,
        defaultValue,
        new BigDecimal(min),
        new BigDecimal(max),
        List.of(),
        text);
  }

  public static ParamSpec choice(
      String name, String defaultValue, List<String> values, String text) {
    return new ParamSpec(name, Type.ENUM, defaultValue, null, null, values, text);
  }

  /** What is accepted, for messages and docs: {@code an integer from 1 to 1000}. */
  public String accepted() {
    switch (type) {
      case INT:
        return "an integer from " + min.toPlainString() + " to " + max.toPlainString();
      case DECIMAL:
        return "a decimal from "
            + min.toPlainString()
            + " to "
            + max.toPlainString()
            + " with at most "
            + MAX_DECIMAL_PLACES
            + " decimal places";
      default:
        return "one of " + String.join(", ", values);
    }
  }

  /**
   * Parses {@code raw} ({@code null}: the default) to its value: {@link Integer}, {@link
   * BigDecimal} or the canonical (lower-case) {@link String}.
   *
   * @throws InvalidParameterException naming this parameter and what is accepted
   */
  public Object parse(String raw) {
    if (raw != null && (raw.length() > MAX_TEXT || !printableAscii(raw))) {
      throw invalid(raw); // checked before trimming: trim() would drop a NUL
    }
    String text = raw == null ? defaultValue : raw.trim();
    switch (type) {
      case INT:
        {
          if (!INTEGER.matcher(text).matches()) {
            throw invalid(raw);
          }
          long v = Long.parseLong(text);
          if (v < min.longValueExact() || v > max.longValueExact()) {
            throw invalid(raw);
          }
          return (int) v;
        }
      case DECIMAL:
        {
          if (!DECIMAL.matcher(text).matches()) {
            throw invalid(raw);
          }
          BigDecimal v = new BigDecimal(text);
          if (v.compareTo(min) < 0
              || v.compareTo(max) > 0
              || v.stripTrailingZeros().scale() > MAX_DECIMAL_PLACES) {
            throw invalid(raw);
          }
          BigDecimal canonical = v.stripTrailingZeros();
          return canonical.scale() < 0 ? canonical.setScale(0) : canonical;
        }
      default:
        {
          String v = text.toLowerCase(Locale.ROOT);
          if (!values.contains(v)) {
            throw invalid(raw);
          }
          return v;
        }
    }
  }

  private static boolean printableAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        return false;
      }
    }
    return true;
  }

  /** The canonical text of a parsed value. */
  static String canonical(Object value) {
    return value instanceof BigDecimal d ? d.toPlainString() : value.toString();
  }

  private InvalidParameterException invalid(String raw) {
    return new InvalidParameterException(
        name, "must be " + accepted() + ", got " + TextFields.quote(raw));
  }
}
