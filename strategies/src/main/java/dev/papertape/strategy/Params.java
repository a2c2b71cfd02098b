package dev.papertape.strategy;

import dev.papertape.model.TextFields;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Parameters parsed against a strategy type's declarations: every declared parameter has a value
 * (given or default), none is unknown. Immutable.
 */
public final class Params {
  private final Map<String, Object> values;

  private Params(Map<String, Object> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  /**
   * Parses {@code raw} against {@code specs}.
   *
   * @throws InvalidParameterException for an unknown parameter (naming the accepted ones) or an
   *     invalid value (naming the accepted range)
   */
  public static Params parse(List<ParamSpec> specs, Map<String, String> raw) {
    Map<String, ParamSpec> byName = new LinkedHashMap<>();
    specs.forEach(s -> byName.put(s.name(), s));
    Map<String, String> given = raw == null ? Map.of() : raw;
    for (String name : new TreeMap<>(given).keySet()) {
      if (!byName.containsKey(name)) {
        throw new InvalidParameterException(
            TextFields.excerpt(name, TextFields.QUOTED_CHARS),
            "unknown parameter; accepted: " + String.join(", ", byName.keySet()));
      }
    }
    Map<String, Object> values = new TreeMap<>();
    for (ParamSpec s : specs) {
      values.put(s.name(), s.parse(given.get(s.name())));
    }
    return new Params(values);
  }

  public int integer(String name) {
    return (Integer) get(name);
  }

  public BigDecimal decimal(String name) {
    return (BigDecimal) get(name);
  }

  public String choice(String name) {
    return (String) get(name);
  }

  private Object get(String name) {
    Object v = values.get(name);
    if (v == null) {
      throw new IllegalArgumentException("no parameter " + name);
    }
    return v;
  }

  /** Every parameter (defaults included) in canonical text, sorted by name. */
  public Map<String, String> canonical() {
    Map<String, String> out = new TreeMap<>();
    values.forEach((k, v) -> out.put(k, ParamSpec.canonical(v)));
    return Collections.unmodifiableMap(out);
  }

  /** {@code name=value} pairs, sorted, comma-separated: part of a state fingerprint. */
  @Override
  public String toString() {
    return canonical().entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }
}
