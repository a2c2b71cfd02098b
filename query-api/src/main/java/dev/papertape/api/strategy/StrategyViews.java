package dev.papertape.api.strategy;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.papertape.strategy.AlertRule;
import dev.papertape.strategy.ControlEvent;
import dev.papertape.strategy.ParamSpec;
import dev.papertape.strategy.StrategyType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON shapes of strategies, alert rules and their signals. */
final class StrategyViews {
  private StrategyViews() {}

  /** {@code {mode, value}}: how much an auto-executed signal trades. */
  record SizingView(String mode, BigDecimal value) {}

  /**
   * A strategy instance.
   *
   * @param symbols upper case, sorted; empty when {@code allSymbols}
   * @param controlPending true while its last change is not yet on the control topic (Kafka was
   *     away); the API publishes it again by itself
   */
  record Strategy(
      String id,
      String strategy,
      Map<String, String> params,
      List<String> symbols,
      boolean allSymbols,
      boolean autoExecute,
      SizingView sizing,
      boolean active,
      boolean controlPending,
      Instant createdAt,
      Instant updatedAt,
      Instant deactivatedAt) {

    static Strategy of(StrategyRepository.StrategyRow r) {
      ControlEvent.ActivateStrategy a = r.config();
      return new Strategy(
          a.id(),
          a.strategy(),
          a.params(),
          a.symbols(),
          a.allSymbols(),
          a.autoExecute(),
          a.sizing() == null ? null : new SizingView(a.sizing().mode().label(), a.sizing().value()),
          r.active(),
          r.pending(),
          r.createdAt(),
          r.updatedAt(),
          r.deactivatedAt());
    }
  }

  /** An alert rule. */
  record Rule(
      String id,
      String symbol,
      String field,
      String op,
      BigDecimal threshold,
      String window,
      boolean active,
      boolean controlPending,
      Instant createdAt,
      Instant updatedAt,
      Instant removedAt) {

    static Rule of(StrategyRepository.RuleRow r) {
      AlertRule a = r.rule();
      return new Rule(
          a.id(),
          a.symbol(),
          a.field().label(),
          a.op().label(),
          a.threshold(),
          a.window().label(),
          r.active(),
          r.pending(),
          r.createdAt(),
          r.updatedAt(),
          r.removedAt());
    }
  }

  /** A stored signal, in the {@code price-alerts} contract's shape. */
  record Signal(
      String id,
      String kind,
      String symbol,
      String source,
      String side,
      BigDecimal price,
      String reason,
      Instant ts) {

    static Signal of(StrategyRepository.SignalRow r) {
      return new Signal(
          r.id(), r.kind(), r.symbol(), r.source(), r.side(), r.price(), r.reason(), r.ts());
    }
  }

  /** {@code GET /strategies/{id}/signals}: newest first; {@code next} absent on the last page. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record SignalPage(
      String strategyId, Instant from, Instant to, int limit, List<Signal> signals, String next) {}

  /** One declared parameter of a strategy type. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  record Parameter(
      String name,
      String type,
      String defaultValue,
      BigDecimal min,
      BigDecimal max,
      List<String> values,
      String accepted,
      String description) {

    static Parameter of(ParamSpec p) {
      return new Parameter(
          p.name(),
          p.type().label(),
          p.defaultValue(),
          p.min(),
          p.max(),
          p.values(),
          p.accepted(),
          p.description());
    }
  }

  /** A strategy type and its parameters. */
  record Type(String name, String description, List<Parameter> parameters) {
    static Type of(StrategyType<?> t) {
      return new Type(
          t.name(), t.description(), t.parameters().stream().map(Parameter::of).toList());
    }
  }
}
