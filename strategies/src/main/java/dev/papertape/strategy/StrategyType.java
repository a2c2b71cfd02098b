package dev.papertape.strategy;

import java.util.List;
import java.util.Map;

/**
 * A kind of strategy: its name, its declared parameters, and how it makes instances.
 *
 * @param <P> its typed, validated parameters
 */
public interface StrategyType<P> {

  /** The name used in control events and the API, e.g. {@code vwap-deviation}. */
  String name();

  /** One sentence for people. */
  String description();

  /** The declared parameters, in documentation order. */
  List<ParamSpec> parameters();

  /**
   * Typed parameters from parsed ones, with the checks that involve several parameters.
   *
   * @throws InvalidParameterException naming the parameter and what is accepted
   */
  P bind(Params params);

  /** An instance with these parameters. */
  Strategy<?> create(String id, P params);

  /**
   * Parses, validates and binds parameters given as text (absent ones take their defaults).
   *
   * @throws InvalidParameterException for an unknown parameter or an invalid value
   */
  default P parse(Map<String, String> raw) {
    return bind(Params.parse(parameters(), raw));
  }

  /** An instance from parameters given as text; validates them first. */
  default Strategy<?> create(String id, Map<String, String> raw) {
    return create(id, parse(raw));
  }
}
