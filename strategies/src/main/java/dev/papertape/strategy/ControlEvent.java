package dev.papertape.strategy;

import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.Symbols;
import dev.papertape.model.TextFields;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An event on the compacted {@code strategy-control} topic. Its Kafka key is {@link #key()}: {@code
 * strategy/<id>} or {@code alert-rule/<id>}, so compaction keeps the last event of each instance
 * and rule, and a strategy and a rule may share an id. Every event is valid by construction.
 */
public sealed interface ControlEvent {

  /** Longest {@code owner}. */
  int MAX_OWNER = 64;

  /** Most symbols an activation may list. */
  int MAX_SYMBOLS = 1000;

  /** The instance or rule id. */
  String id();

  /** The Kafka key. */
  String key();

  /** Key prefix of strategy instances. */
  String STRATEGY = "strategy";

  /** Key prefix of alert rules. */
  String ALERT_RULE = "alert-rule";

  /**
   * Activates (or re-configures) a strategy instance.
   *
   * @param id the instance id (see {@link Ids})
   * @param strategy the type's name (see {@link StrategyTypes})
   * @param params the parameters, validated and canonical: every declared one, defaults filled in,
   *     in name order
   * @param symbols the symbols it runs on, upper case, sorted; empty means all symbols
   * @param autoExecute whether its signals place paper orders
   * @param sizing how much an auto-executed signal trades; required when {@code autoExecute}
   * @param owner the user it belongs to, or {@code null}
   */
  record ActivateStrategy(
      String id,
      String strategy,
      Map<String, String> params,
      List<String> symbols,
      boolean autoExecute,
      Sizing sizing,
      String owner)
      implements ControlEvent {

    /**
     * @throws InvalidRecordException naming the field; {@link InvalidParameterException} for a
     *     parameter
     */
    public ActivateStrategy {
      id = Ids.check("id", id);
      StrategyTypes.get(strategy);
      params =
          Collections.unmodifiableMap(
              new TreeMap<>(StrategyTypes.canonicalParams(strategy, params)));
      if (symbols == null) {
        throw new InvalidRecordException("symbols", "is missing: list symbols or give \"all\"");
      }
      if (symbols.size() > MAX_SYMBOLS) {
        throw new InvalidRecordException("symbols", "lists more than " + MAX_SYMBOLS + " symbols");
      }
      TreeSet<String> sorted = new TreeSet<>();
      for (String s : symbols) {
        sorted.add(Symbols.normalize("symbols", s));
      }
      symbols = List.copyOf(sorted);
      if (autoExecute && sizing == null) {
        throw new InvalidRecordException("sizing", "is required when autoExecute is true");
      }
      owner = TextFields.checkOptional("owner", owner, MAX_OWNER);
    }

    @Override
    public String key() {
      return STRATEGY + "/" + id;
    }

    /** Whether it runs on all symbols. */
    public boolean allSymbols() {
      return symbols.isEmpty();
    }

    /** Whether it runs on {@code symbol} (canonical form). */
    public boolean appliesTo(String symbol) {
      return symbols.isEmpty() || symbols.contains(symbol);
    }

    /** The configured instance. */
    public Strategy<?> create() {
      return StrategyTypes.create(id, strategy, params);
    }
  }

  /**
   * Deactivates a strategy instance (also what a tombstone of its key means).
   *
   * @param id the instance id
   */
  record DeactivateStrategy(String id) implements ControlEvent {
    public DeactivateStrategy {
      id = Ids.check("id", id);
    }

    @Override
    public String key() {
      return STRATEGY + "/" + id;
    }
  }

  /**
   * Adds (or replaces) an alert rule.
   *
   * @param rule the rule
   * @param owner the user it belongs to, or {@code null}
   */
  record AddAlertRule(AlertRule rule, String owner) implements ControlEvent {
    public AddAlertRule {
      if (rule == null) {
        throw new InvalidRecordException(null, "an alert rule is missing");
      }
      owner = TextFields.checkOptional("owner", owner, MAX_OWNER);
    }

    @Override
    public String id() {
      return rule.id();
    }

    @Override
    public String key() {
      return ALERT_RULE + "/" + rule.id();
    }
  }

  /**
   * Removes an alert rule (also what a tombstone of its key means).
   *
   * @param id the rule id
   */
  record RemoveAlertRule(String id) implements ControlEvent {
    public RemoveAlertRule {
      id = Ids.check("id", id);
    }

    @Override
    public String key() {
      return ALERT_RULE + "/" + id;
    }
  }
}
