package dev.papertape.api.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.papertape.model.Json;
import dev.papertape.model.MetricWindow;
import dev.papertape.strategy.AlertRule;
import dev.papertape.strategy.ControlEvent;
import dev.papertape.strategy.Sizing;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The {@code strategies}, {@code alert_rules} and {@code signals} tables. */
@Repository
class StrategyRepository {

  /** A row of {@code strategies}: its activation as a control event, and its state. */
  record StrategyRow(
      ControlEvent.ActivateStrategy config,
      long userId,
      boolean active,
      boolean pending,
      Instant createdAt,
      Instant updatedAt,
      Instant deactivatedAt) {

    /** The event that puts the topic in this row's state. */
    ControlEvent event() {
      return active ? config : new ControlEvent.DeactivateStrategy(config.id());
    }
  }

  /** A row of {@code alert_rules}. */
  record RuleRow(
      AlertRule rule,
      String owner,
      long userId,
      boolean active,
      boolean pending,
      Instant createdAt,
      Instant updatedAt,
      Instant removedAt) {

    ControlEvent event() {
      return active
          ? new ControlEvent.AddAlertRule(rule, owner)
          : new ControlEvent.RemoveAlertRule(rule.id());
    }
  }

  /** A row of {@code signals}. */
  record SignalRow(
      String id,
      String kind,
      String symbol,
      String source,
      String side,
      BigDecimal price,
      String reason,
      Instant ts) {}

  private static final String STRATEGY_COLUMNS =
      "s.id, s.user_id, u.name AS owner, s.strategy, s.params::text AS params, s.symbols,"
          + " s.auto_execute, s.sizing_mode, s.sizing_value, s.active, s.control_pending,"
          + " s.created_at, s.updated_at, s.deactivated_at";

  private static final String RULE_COLUMNS =
      "r.id, r.user_id, u.name AS owner, r.symbol, r.field, r.op, r.threshold, r.\"window\","
          + " r.active, r.control_pending, r.created_at, r.updated_at, r.removed_at";

  private final DatabaseClient db;

  StrategyRepository(DatabaseClient db) {
    this.db = db;
  }

  // ---- strategies

  /** The row of {@code id} whoever owns it, locked for the rest of the transaction. */
  Mono<StrategyRow> lockStrategy(String id) {
    return db.sql(
            "SELECT "
                + STRATEGY_COLUMNS
                + " FROM strategies s JOIN users u ON u.id = s.user_id WHERE s.id = $1"
                + " FOR UPDATE OF s")
        .bind(0, id)
        .map(StrategyRepository::strategy)
        .one();
  }

  Mono<StrategyRow> strategy(long userId, String id) {
    return db.sql(
            "SELECT "
                + STRATEGY_COLUMNS
                + " FROM strategies s JOIN users u ON u.id = s.user_id"
                + " WHERE s.id = $1 AND s.user_id = $2")
        .bind(0, id)
        .bind(1, userId)
        .map(StrategyRepository::strategy)
        .one();
  }

  Flux<StrategyRow> strategies(long userId) {
    return db.sql(
            "SELECT "
                + STRATEGY_COLUMNS
                + " FROM strategies s JOIN users u ON u.id = s.user_id WHERE s.user_id = $1"
                + " ORDER BY s.created_at DESC, s.id")
        .bind(0, userId)
        .map(StrategyRepository::strategy)
        .all();
  }

  /** The active instance {@code id}, for auto-execution. */
  Mono<StrategyRow> activeStrategy(String id) {
    return db.sql(
            "SELECT "
                + STRATEGY_COLUMNS
                + " FROM strategies s JOIN users u ON u.id = s.user_id"
                + " WHERE s.id = $1 AND s.active")
        .bind(0, id)
        .map(StrategyRepository::strategy)
        .one();
  }

  Mono<Long> activeStrategies(long userId) {
    return db.sql("SELECT count(*) AS n FROM strategies WHERE user_id = $1 AND active")
        .bind(0, userId)
        .map(r -> r.get("n", Long.class))
        .one();
  }

  /** Inserts or replaces (reactivates) the instance, pending publication. */
  Mono<Long> upsertStrategy(long userId, ControlEvent.ActivateStrategy a) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "INSERT INTO strategies (id, user_id, strategy, params, symbols, auto_execute,"
                    + " sizing_mode, sizing_value, active, control_pending)"
                    + " VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, true, true)"
                    + " ON CONFLICT (id) DO UPDATE SET strategy = EXCLUDED.strategy,"
                    + " params = EXCLUDED.params, symbols = EXCLUDED.symbols,"
                    + " auto_execute = EXCLUDED.auto_execute, sizing_mode = EXCLUDED.sizing_mode,"
                    + " sizing_value = EXCLUDED.sizing_value, active = true,"
                    + " control_pending = true, updated_at = now(), deactivated_at = NULL"
                    + " WHERE strategies.user_id = EXCLUDED.user_id")
            .bind(0, a.id())
            .bind(1, userId)
            .bind(2, a.strategy())
            .bind(3, paramsJson(a.params()))
            .bind(4, a.symbols().toArray(new String[0]))
            .bind(5, a.autoExecute());
    spec =
        a.sizing() == null
            ? spec.bindNull(6, String.class).bindNull(7, BigDecimal.class)
            : spec.bind(6, a.sizing().mode().label()).bind(7, a.sizing().value());
    return spec.fetch().rowsUpdated();
  }

  Mono<Long> deactivateStrategy(String id) {
    return db.sql(
            "UPDATE strategies SET active = false, control_pending = true, updated_at = now(),"
                + " deactivated_at = coalesce(deactivated_at, now()) WHERE id = $1")
        .bind(0, id)
        .fetch()
        .rowsUpdated();
  }

  Mono<Long> strategyPublished(String id) {
    return db.sql("UPDATE strategies SET control_pending = false WHERE id = $1")
        .bind(0, id)
        .fetch()
        .rowsUpdated();
  }

  /** Ids to publish again: pending ones, and with {@code allActive} every active one too. */
  Flux<String> strategiesToPublish(boolean allActive) {
    return db.sql(
            "SELECT id FROM strategies WHERE control_pending"
                + (allActive ? " OR active" : "")
                + " ORDER BY id")
        .map(r -> r.get("id", String.class))
        .all();
  }

  // ---- alert rules

  Mono<RuleRow> lockRule(String id) {
    return db.sql(
            "SELECT "
                + RULE_COLUMNS
                + " FROM alert_rules r JOIN users u ON u.id = r.user_id WHERE r.id = $1"
                + " FOR UPDATE OF r")
        .bind(0, id)
        .map(StrategyRepository::rule)
        .one();
  }

  Mono<RuleRow> rule(long userId, String id) {
    return db.sql(
            "SELECT "
                + RULE_COLUMNS
                + " FROM alert_rules r JOIN users u ON u.id = r.user_id"
                + " WHERE r.id = $1 AND r.user_id = $2")
        .bind(0, id)
        .bind(1, userId)
        .map(StrategyRepository::rule)
        .one();
  }

  /** The rule {@code id} whoever owns it (removed ones too): where its ALERTs go. */
  Mono<RuleRow> ruleById(String id) {
    return db.sql(
            "SELECT "
                + RULE_COLUMNS
                + " FROM alert_rules r JOIN users u ON u.id = r.user_id WHERE r.id = $1")
        .bind(0, id)
        .map(StrategyRepository::rule)
        .one();
  }

  Flux<RuleRow> rules(long userId) {
    return db.sql(
            "SELECT "
                + RULE_COLUMNS
                + " FROM alert_rules r JOIN users u ON u.id = r.user_id WHERE r.user_id = $1"
                + " ORDER BY r.created_at DESC, r.id")
        .bind(0, userId)
        .map(StrategyRepository::rule)
        .all();
  }

  Mono<Long> activeRules(long userId) {
    return db.sql("SELECT count(*) AS n FROM alert_rules WHERE user_id = $1 AND active")
        .bind(0, userId)
        .map(r -> r.get("n", Long.class))
        .one();
  }

  Mono<Long> upsertRule(long userId, AlertRule rule) {
    return db.sql(
            "INSERT INTO alert_rules (id, user_id, symbol, field, op, threshold, \"window\","
                + " active, control_pending) VALUES ($1, $2, $3, $4, $5, $6, $7, true, true)"
                + " ON CONFLICT (id) DO UPDATE SET symbol = EXCLUDED.symbol,"
                + " field = EXCLUDED.field, op = EXCLUDED.op, threshold = EXCLUDED.threshold,"
                + " \"window\" = EXCLUDED.\"window\", active = true, control_pending = true,"
                + " updated_at = now(), removed_at = NULL"
                + " WHERE alert_rules.user_id = EXCLUDED.user_id")
        .bind(0, rule.id())
        .bind(1, userId)
        .bind(2, rule.symbol())
        .bind(3, rule.field().label())
        .bind(4, rule.op().label())
        .bind(5, rule.threshold())
        .bind(6, rule.window().label())
        .fetch()
        .rowsUpdated();
  }

  Mono<Long> removeRule(String id) {
    return db.sql(
            "UPDATE alert_rules SET active = false, control_pending = true, updated_at = now(),"
                + " removed_at = coalesce(removed_at, now()) WHERE id = $1")
        .bind(0, id)
        .fetch()
        .rowsUpdated();
  }

  Mono<Long> rulePublished(String id) {
    return db.sql("UPDATE alert_rules SET control_pending = false WHERE id = $1")
        .bind(0, id)
        .fetch()
        .rowsUpdated();
  }

  Flux<String> rulesToPublish(boolean allActive) {
    return db.sql(
            "SELECT id FROM alert_rules WHERE control_pending"
                + (allActive ? " OR active" : "")
                + " ORDER BY id")
        .map(r -> r.get("id", String.class))
        .all();
  }

  // ---- signals

  /**
   * Signals of one source, newest first: {@code ts} in [from, to), and before the cursor ({@code
   * beforeTs}, {@code beforeId}) when given; at most {@code limit}.
   */
  Flux<SignalRow> signals(
      String source, Instant from, Instant to, Instant beforeTs, String beforeId, int limit) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT id, kind, symbol, source, side, price, reason, ts FROM signals"
                + " WHERE source = $1 AND kind = 'SIGNAL'");
    int n = 2;
    if (from != null) {
      sql.append(" AND ts >= $").append(n++);
    }
    if (to != null) {
      sql.append(" AND ts < $").append(n++);
    }
    if (beforeTs != null) {
      sql.append(" AND (ts, id) < ($").append(n++).append(", $").append(n++).append(")");
    }
    sql.append(" ORDER BY ts DESC, id DESC LIMIT $").append(n);
    DatabaseClient.GenericExecuteSpec spec = db.sql(sql.toString()).bind(0, source);
    int i = 1;
    if (from != null) {
      spec = spec.bind(i++, from.atOffset(java.time.ZoneOffset.UTC));
    }
    if (to != null) {
      spec = spec.bind(i++, to.atOffset(java.time.ZoneOffset.UTC));
    }
    if (beforeTs != null) {
      spec = spec.bind(i++, beforeTs.atOffset(java.time.ZoneOffset.UTC)).bind(i++, beforeId);
    }
    return spec.bind(i, limit)
        .map(
            r ->
                new SignalRow(
                    r.get("id", String.class),
                    r.get("kind", String.class),
                    r.get("symbol", String.class),
                    r.get("source", String.class),
                    r.get("side", String.class),
                    r.get("price", BigDecimal.class),
                    r.get("reason", String.class),
                    instant(r, "ts")))
        .all();
  }

  // ---- mapping

  private static StrategyRow strategy(Readable r) {
    String mode = r.get("sizing_mode", String.class);
    Sizing sizing =
        mode == null
            ? null
            : new Sizing(Sizing.Mode.parse(mode), r.get("sizing_value", BigDecimal.class));
    String[] symbols = r.get("symbols", String[].class);
    ControlEvent.ActivateStrategy a =
        new ControlEvent.ActivateStrategy(
            r.get("id", String.class),
            r.get("strategy", String.class),
            params(r.get("params", String.class)),
            symbols == null ? List.of() : Arrays.asList(symbols),
            Boolean.TRUE.equals(r.get("auto_execute", Boolean.class)),
            sizing,
            r.get("owner", String.class));
    return new StrategyRow(
        a,
        r.get("user_id", Long.class),
        Boolean.TRUE.equals(r.get("active", Boolean.class)),
        Boolean.TRUE.equals(r.get("control_pending", Boolean.class)),
        instant(r, "created_at"),
        instant(r, "updated_at"),
        instant(r, "deactivated_at"));
  }

  private static RuleRow rule(Readable r) {
    AlertRule rule =
        new AlertRule(
            r.get("id", String.class),
            r.get("symbol", String.class),
            AlertRule.Field.parse(r.get("field", String.class)),
            AlertRule.Op.parse(r.get("op", String.class)),
            r.get("threshold", BigDecimal.class),
            MetricWindow.parse(r.get("window", String.class)));
    return new RuleRow(
        rule,
        r.get("owner", String.class),
        r.get("user_id", Long.class),
        Boolean.TRUE.equals(r.get("active", Boolean.class)),
        Boolean.TRUE.equals(r.get("control_pending", Boolean.class)),
        instant(r, "created_at"),
        instant(r, "updated_at"),
        instant(r, "removed_at"));
  }

  private static Instant instant(Readable r, String column) {
    OffsetDateTime t = r.get(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  static String paramsJson(Map<String, String> params) {
    ObjectNode o = Json.newObject();
    new TreeMap<>(params).forEach(o::put);
    return new String(Json.bytes(o), StandardCharsets.UTF_8);
  }

  private static Map<String, String> params(String json) {
    Map<String, String> out = new TreeMap<>();
    ObjectNode o = Json.readObject(json.getBytes(StandardCharsets.UTF_8));
    for (Map.Entry<String, JsonNode> e : o.properties()) {
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }
}
