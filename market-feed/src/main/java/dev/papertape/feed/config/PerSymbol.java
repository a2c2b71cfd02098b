package dev.papertape.feed.config;

import dev.papertape.config.Settings;
import dev.papertape.model.Symbols;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A setting with a value per symbol: comma-separated {@code SYMBOL=value} items plus at most one
 * bare {@code value} that applies to every other symbol, e.g. {@code 0.3,TSLA=0.6}.
 *
 * @param fallback the bare value, or {@code null}
 * @param values the per-symbol values
 */
record PerSymbol<T>(T fallback, Map<String, T> values) {
  PerSymbol {
    values = Map.copyOf(values);
  }

  /** The value for {@code symbol}: its own, else the bare value, else {@code null}. */
  T get(String symbol) {
    T v = values.get(symbol);
    return v != null ? v : fallback;
  }

  /**
   * Reads the setting {@code name} (or {@code defaultValue} when unset).
   *
   * @param parse parses one value; throws {@link RuntimeException} with a reason when it is bad
   * @param accepted the accepted values, for the error message
   */
  static <T> PerSymbol<T> read(
      Settings settings,
      String name,
      String defaultValue,
      Function<String, T> parse,
      String accepted) {
    String raw = settings.string(name, defaultValue);
    String expected =
        "comma-separated SYMBOL=value items and at most one bare value for the other symbols"
            + " (e.g. 0.3,TSLA=0.6), each value "
            + accepted;
    T fallback = null;
    Map<String, T> values = new LinkedHashMap<>();
    for (String item : raw.split(",")) {
      if (item.isBlank()) {
        continue;
      }
      int eq = item.indexOf('=');
      try {
        if (eq < 0) {
          if (fallback != null) {
            throw new IllegalArgumentException("more than one bare value");
          }
          fallback = parse.apply(item.trim());
        } else {
          String symbol = Symbols.normalize("symbol", item.substring(0, eq));
          if (values.put(symbol, parse.apply(item.substring(eq + 1).trim())) != null) {
            throw new IllegalArgumentException(symbol + " is given twice");
          }
        }
      } catch (RuntimeException e) {
        throw new Settings.InvalidSettingException(
            name, raw, expected + " (" + e.getMessage() + ")");
      }
    }
    return new PerSymbol<>(fallback, values);
  }

  /** Parses a number within [min, max]. */
  static Function<String, Double> number(double min, double max) {
    return text -> {
      double d;
      try {
        d = Double.parseDouble(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' is not a number", e);
      }
      if (!(d >= min && d <= max)) {
        throw new IllegalArgumentException(
            "'" + text + "' is not within [" + min + ", " + max + "]");
      }
      return d;
    };
  }
}
