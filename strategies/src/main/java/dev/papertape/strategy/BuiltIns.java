package dev.papertape.strategy;

import dev.papertape.model.MetricWindow;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the built-in types share in their declaration: the common parameters, the fingerprint and a
 * {@link StrategyType} made of its parts. It refers to no type, so a type's static initialiser may
 * use it ({@link StrategyTypes}, the registry, refers to every type).
 */
final class BuiltIns {
  /** The {@code window} parameter every built-in has. */
  static final ParamSpec WINDOW =
      ParamSpec.choice(
          "window",
          MetricWindow.M1.label(),
          Arrays.stream(MetricWindow.values()).map(MetricWindow::label).toList(),
          "The window size of the metrics consumed; metrics of other sizes are ignored.");

  private BuiltIns() {}

  /**
   * The {@code lookback} parameter of a rolling built-in: an integer from 1 to {@value
   * StrategyTypes#MAX_LOOKBACK} windows, 20 by default.
   */
  static ParamSpec lookback(String text) {
    return ParamSpec.integer("lookback", 20, 1, StrategyTypes.MAX_LOOKBACK, text);
  }

  /** The bound {@link #WINDOW}. */
  static MetricWindow window(Params p) {
    return MetricWindow.parse(p.choice("window"));
  }

  /**
   * An instance's fingerprint: {@code type{name=value,...}} of its {@code window} and the other
   * parameters, sorted by name, each value in canonical text (a decimal plain).
   *
   * @param namesAndValues name, value, name, value, ...
   */
  static String fingerprint(String type, MetricWindow window, Object... namesAndValues) {
    Map<String, String> sorted = new TreeMap<>();
    sorted.put(WINDOW.name(), window.label());
    for (int i = 0; i < namesAndValues.length; i += 2) {
      sorted.put((String) namesAndValues[i], ParamSpec.canonical(namesAndValues[i + 1]));
    }
    return sorted.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(",", type + "{", "}"));
  }

  /**
   * A type made of its parts.
   *
   * @param parameters the declared parameters, in documentation order
   * @param bind typed parameters from parsed ones, with the cross-parameter checks
   * @param create an instance with an id and typed parameters
   */
  static <P> StrategyType<P> type(
      String name,
      String description,
      List<ParamSpec> parameters,
      Function<Params, P> bind,
      BiFunction<String, P, Strategy<?>> create) {
    return new Declared<>(name, description, List.copyOf(parameters), bind, create);
  }

  private record Declared<P>(
      String name,
      String description,
      List<ParamSpec> parameters,
      Function<Params, P> binder,
      BiFunction<String, P, Strategy<?>> factory)
      implements StrategyType<P> {
    Declared {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(binder, "bind");
      Objects.requireNonNull(factory, "create");
    }

    @Override
    public P bind(Params params) {
      return binder.apply(params);
    }

    @Override
    public Strategy<?> create(String id, P params) {
      return factory.apply(id, params);
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
