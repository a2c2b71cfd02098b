package dev.papertape.strategy;

import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.TextFields;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The registry of strategy types by name: the one place the API and the signals job look up. */
public final class StrategyTypes {
  /** Largest lookback (or slow average) any built-in accepts. */
  public static final int MAX_LOOKBACK = 1000;

  private static final Map<String, StrategyType<?>> TYPES = new LinkedHashMap<>();

  static {
    for (StrategyType<?> t :
        List.of(MaCrossover.TYPE, VwapDeviation.TYPE, VolumeSpike.TYPE, BuyAndHold.TYPE)) {
      TYPES.put(t.name(), t);
    }
  }

  private StrategyTypes() {}

  /** All types, in documentation order. */
  public static Collection<StrategyType<?>> all() {
    return List.copyOf(TYPES.values());
  }

  /**
   * The type called {@code name}.
   *
   * @throws InvalidRecordException naming the field {@code strategy} and the accepted names
   */
  public static StrategyType<?> get(String name) {
    StrategyType<?> t = name == null ? null : TYPES.get(name);
    if (t == null) {
      throw new InvalidRecordException(
          "strategy",
          (name == null ? "is missing" : TextFields.quote(name) + " is not a strategy")
              + "; accepted: "
              + String.join(", ", TYPES.keySet()));
    }
    return t;
  }

  /**
   * A validated instance.
   *
   * @throws InvalidRecordException for an unknown type or a bad id; {@link
   *     InvalidParameterException} for a bad parameter
   */
  public static Strategy<?> create(String id, String type, Map<String, String> params) {
    Ids.check("id", id);
    return get(type).create(id, params);
  }

  /**
   * The parameters of {@code type} validated and in canonical text with every default filled in:
   * what a control event stores, so that equal configurations are equal maps.
   */
  public static Map<String, String> canonicalParams(String type, Map<String, String> params) {
    StrategyType<?> t = get(type);
    Params parsed = Params.parse(t.parameters(), params);
    t.bind(parsed); // cross-parameter checks
    return parsed.canonical();
  }
}
