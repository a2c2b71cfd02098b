package dev.papertape.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Typed reading of a process's settings from environment variables (documented in {@code
 * .env.example}). Every getter names the variable and the accepted values when a value is wrong, so
 * a process fails fast at start with a message a user can act on.
 */
public final class Settings {
  private final Map<String, String> values;

  public Settings(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /** The process environment. */
  public static Settings fromEnv() {
    return new Settings(System.getenv());
  }

  /** Thrown for a setting that is present but unusable. */
  public static final class InvalidSettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidSettingException(String name, String value, String accepted) {
      super("setting " + name + "='" + value + "' is invalid: expected " + accepted);
    }
  }

  private String raw(String name) {
    String v = values.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  public String string(String name, String defaultValue) {
    String v = raw(name);
    return v == null ? defaultValue : v;
  }

  public int integer(String name, int defaultValue, int min, int max) {
    return number(name, defaultValue, min, max, Integer::parseInt);
  }

  public long longValue(String name, long defaultValue, long min, long max) {
    return number(name, defaultValue, min, max, Long::parseLong);
  }

  private <T extends Number & Comparable<T>> T number(
      String name, T defaultValue, T min, T max, Function<String, T> parse) {
    String v = raw(name);
    if (v == null) {
      return defaultValue;
    }
    T n;
    try {
      n = parse.apply(v.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new InvalidSettingException(name, v, "a whole number in [" + min + ", " + max + "]");
    }
    if (n.compareTo(min) < 0 || n.compareTo(max) > 0) {
      throw new InvalidSettingException(name, v, "a whole number in [" + min + ", " + max + "]");
    }
    return n;
  }

  public double decimal(String name, double defaultValue, double min, double max) {
    String v = raw(name);
    if (v == null) {
      return defaultValue;
    }
    try {
      double d = Double.parseDouble(v);
      if (d >= min && d <= max) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below with the accepted range
    }
    throw new InvalidSettingException(name, v, "a number in [" + min + ", " + max + "]");
  }

  public boolean bool(String name, boolean defaultValue) {
    String v = raw(name);
    if (v == null) {
      return defaultValue;
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off" -> false;
      default -> throw new InvalidSettingException(name, v, "true or false");
    };
  }

  /**
   * A duration such as {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d} or ISO-8601
   * {@code PT5S}, read by {@link Durations#parse}; one too large for a {@code long} of milliseconds
   * is refused.
   */
  public Duration duration(String name, Duration defaultValue) {
    String v = raw(name);
    if (v == null) {
      return defaultValue;
    }
    try {
      return Durations.parse(v);
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException(name, v, "a duration like 250ms, 5s, 2m, 1h or PT5S");
    }
  }

  /** A comma-separated list, each item parsed by {@code parse}, which may throw with a message. */
  public <T> List<T> list(
      String name, List<T> defaultValue, Function<String, T> parse, String accepted) {
    String v = raw(name);
    if (v == null) {
      return defaultValue;
    }
    List<T> out = new ArrayList<>();
    for (String item : v.split(",")) {
      if (item.isBlank()) {
        continue;
      }
      try {
        out.add(parse.apply(item.trim()));
      } catch (RuntimeException e) {
        throw new InvalidSettingException(name, v, accepted + " (" + e.getMessage() + ")");
      }
    }
    if (out.isEmpty()) {
      throw new InvalidSettingException(name, v, "at least one of " + accepted);
    }
    return List.copyOf(out);
  }

  public <E extends Enum<E>> E choice(
      String name, E defaultValue, Function<String, E> parse, String accepted) {
    String v = raw(name);
    if (v == null) {
      return defaultValue;
    }
    try {
      return parse.apply(v);
    } catch (RuntimeException e) {
      throw new InvalidSettingException(name, v, accepted);
    }
  }
}
