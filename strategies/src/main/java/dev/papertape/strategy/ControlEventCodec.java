package dev.papertape.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.Json;
import dev.papertape.model.MetricWindow;
import dev.papertape.model.TextFields;
import dev.papertape.model.UnknownFields;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON codec of {@link ControlEvent}, the compacted {@code strategy-control} topic. Kafka key:
 * {@link ControlEvent#key()}; a {@code null} value (a tombstone) deactivates the strategy or
 * removes the rule named by the key.
 *
 * <pre>
 * {"type":"strategy","id":"vwap-tsla","active":true,"strategy":"vwap-deviation",
 *  "params":{"lookback":"20","thresholdPct":"0.5","window":"1m"},"symbols":["TSLA"],
 *  "autoExecute":true,"sizing":{"mode":"quantity","value":10},"owner":"alice"}
 * {"type":"strategy","id":"vwap-tsla","active":false}
 * {"type":"alert-rule","id":"aapl-200","active":true,"symbol":"AAPL","field":"price","op":"&gt;",
 *  "threshold":200,"window":"1m","owner":"alice"}
 * {"type":"alert-rule","id":"aapl-200","active":false}
 * </pre>
 *
 * On input {@code active} defaults to {@code true}, {@code params} to {@code {}} (all defaults; a
 * value may be a string or a number), {@code symbols} may be {@code "all"} or a non-empty array,
 * {@code autoExecute} defaults to {@code false}, {@code window} to {@code 1m}; {@code sizing} and
 * {@code owner} are optional. Decoding is total: any bytes give an event or an {@link
 * InvalidRecordException} naming the field (an {@link InvalidParameterException} for a parameter),
 * never another exception. Immutable and thread-safe.
 */
public final class ControlEventCodec implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Most entries of {@code params}. */
  public static final int MAX_PARAMS = 32;

  private static final Set<String> OFF = new LinkedHashSet<>(List.of("type", "id", "active"));
  private static final Set<String> STRATEGY_FIELDS =
      new LinkedHashSet<>(
          List.of(
              "type",
              "id",
              "active",
              "strategy",
              "params",
              "symbols",
              "autoExecute",
              "sizing",
              "owner"));
  private static final Set<String> RULE_FIELDS =
      new LinkedHashSet<>(
          List.of("type", "id", "active", "symbol", "field", "op", "threshold", "window", "owner"));
  private static final Set<String> SIZING_FIELDS = new LinkedHashSet<>(List.of("mode", "value"));

  private final UnknownFields unknownFields;

  public ControlEventCodec(UnknownFields unknownFields) {
    this.unknownFields = unknownFields;
  }

  public ControlEventCodec() {
    this(UnknownFields.REJECT);
  }

  /** The Kafka key of an event. */
  public static String key(ControlEvent e) {
    return e.key();
  }

  public byte[] encode(ControlEvent event) {
    ObjectNode o = Json.newObject();
    if (event instanceof ControlEvent.ActivateStrategy a) {
      o.put("type", ControlEvent.STRATEGY);
      o.put("id", a.id());
      o.put("active", true);
      o.put("strategy", a.strategy());
      ObjectNode params = o.putObject("params");
      a.params().forEach(params::put);
      if (a.allSymbols()) {
        o.put("symbols", "all");
      } else {
        ArrayNode symbols = o.putArray("symbols");
        a.symbols().forEach(symbols::add);
      }
      o.put("autoExecute", a.autoExecute());
      if (a.sizing() != null) {
        ObjectNode sizing = o.putObject("sizing");
        sizing.put("mode", a.sizing().mode().label());
        sizing.put("value", a.sizing().value());
      }
      if (a.owner() != null) {
        o.put("owner", a.owner());
      }
    } else if (event instanceof ControlEvent.AddAlertRule add) {
      AlertRule r = add.rule();
      o.put("type", ControlEvent.ALERT_RULE);
      o.put("id", r.id());
      o.put("active", true);
      o.put("symbol", r.symbol());
      o.put("field", r.field().label());
      o.put("op", r.op().label());
      o.put("threshold", r.threshold());
      o.put("window", r.window().label());
      if (add.owner() != null) {
        o.put("owner", add.owner());
      }
    } else {
      o.put(
          "type",
          event instanceof ControlEvent.DeactivateStrategy
              ? ControlEvent.STRATEGY
              : ControlEvent.ALERT_RULE);
      o.put("id", event.id());
      o.put("active", false);
    }
    return Json.bytes(o);
  }

  /**
   * Decodes one value. Total: an event or an {@link InvalidRecordException}.
   *
   * @throws InvalidRecordException naming the field and the problem
   */
  public ControlEvent decode(byte[] json) {
    return Json.total(() -> read(json));
  }

  /**
   * Decodes one Kafka record: a {@code null} value is the tombstone of {@code key}; otherwise the
   * value's own key must equal {@code key} (when given).
   *
   * @throws InvalidRecordException for a bad value, a bad key or a key that does not match
   */
  public ControlEvent decode(String key, byte[] value) {
    return Json.total(
        () -> {
          if (value == null) {
            return tombstone(key);
          }
          ControlEvent e = read(value);
          if (key != null && !key.equals(e.key())) {
            throw new InvalidRecordException(
                "key", TextFields.quote(key) + " does not match the event's key '" + e.key() + "'");
          }
          return e;
        });
  }

  private static ControlEvent tombstone(String key) {
    if (key == null) {
      throw new InvalidRecordException("key", "a tombstone without a key");
    }
    if (key.startsWith(ControlEvent.STRATEGY + "/")) {
      return new ControlEvent.DeactivateStrategy(key.substring(ControlEvent.STRATEGY.length() + 1));
    }
    if (key.startsWith(ControlEvent.ALERT_RULE + "/")) {
      return new ControlEvent.RemoveAlertRule(key.substring(ControlEvent.ALERT_RULE.length() + 1));
    }
    throw new InvalidRecordException(
        "key", TextFields.quote(key) + " is not a key; expected strategy/<id> or alert-rule/<id>");
  }

  private ControlEvent read(byte[] json) {
    ObjectNode o = Json.readObject(json);
    String type = Json.text(o, "type");
    boolean strategy;
    if (ControlEvent.STRATEGY.equals(type)) {
      strategy = true;
    } else if (ControlEvent.ALERT_RULE.equals(type)) {
      strategy = false;
    } else {
      throw new InvalidRecordException(
          "type", TextFields.quote(type) + " is not a type; accepted: strategy, alert-rule");
    }
    Boolean active = Json.optionalBoolean(o, "active");
    if (Boolean.FALSE.equals(active)) {
      Json.checkFields(o, OFF, unknownFields);
      String id = Json.text(o, "id");
      return strategy
          ? new ControlEvent.DeactivateStrategy(id)
          : new ControlEvent.RemoveAlertRule(id);
    }
    return strategy ? readActivation(o) : readRule(o);
  }

  private ControlEvent readActivation(ObjectNode o) {
    Json.checkFields(o, STRATEGY_FIELDS, unknownFields);
    String id = Json.text(o, "id");
    String type = Json.text(o, "strategy");
    Map<String, String> params = params(o.get("params"));
    List<String> symbols = symbols(Json.required(o, "symbols"));
    Boolean autoExecute = Json.optionalBoolean(o, "autoExecute");
    JsonNode sizing = o.get("sizing");
    return new ControlEvent.ActivateStrategy(
        id,
        type,
        params,
        symbols,
        Boolean.TRUE.equals(autoExecute),
        sizing == null || sizing.isNull() ? null : sizing(sizing),
        Json.optionalText(o, "owner"));
  }

  private static Map<String, String> params(JsonNode n) {
    Map<String, String> out = new LinkedHashMap<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isObject()) {
      throw new InvalidRecordException(
          "params", "must be an object of name: value, got " + Json.describe(n));
    }
    if (n.size() > MAX_PARAMS) {
      throw new InvalidRecordException(
          "params", "has " + n.size() + " entries; at most " + MAX_PARAMS);
    }
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      String field = "params." + TextFields.excerpt(e.getKey(), TextFields.QUOTED_CHARS);
      JsonNode v = e.getValue();
      if (v.isTextual()) {
        out.put(e.getKey(), v.textValue());
      } else if (v.isNumber()) {
        out.put(e.getKey(), plainNumber(v, field));
      } else {
        throw new InvalidRecordException(
            field, "must be a string or a number, got " + Json.describe(v));
      }
    }
    return out;
  }

  private static List<String> symbols(JsonNode n) {
    if (n.isTextual() && "all".equals(n.textValue())) {
      return List.of();
    }
    if (!n.isArray() || n.isEmpty()) {
      throw new InvalidRecordException(
          "symbols", "must be \"all\" or a non-empty array of symbols, got " + Json.describe(n));
    }
    if (n.size() > ControlEvent.MAX_SYMBOLS) {
      throw new InvalidRecordException(
          "symbols", "lists more than " + ControlEvent.MAX_SYMBOLS + " symbols");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode s : n) {
      out.add(Json.text(s, "symbols"));
    }
    return out;
  }

  private Sizing sizing(JsonNode n) {
    if (!n.isObject()) {
      throw new InvalidRecordException(
          "sizing", "must be an object {mode, value}, got " + Json.describe(n));
    }
    ObjectNode o = (ObjectNode) n;
    Json.checkFields(o, SIZING_FIELDS, unknownFields, "sizing.");
    String mode = Json.optionalText(o, "mode");
    JsonNode value = o.get("value");
    if (value == null || value.isNull()) {
      throw new InvalidRecordException("sizing.value", "is missing");
    }
    return new Sizing(Sizing.Mode.parse(mode), Json.decimal(value, "sizing.value"));
  }

  private ControlEvent readRule(ObjectNode o) {
    Json.checkFields(o, RULE_FIELDS, unknownFields);
    String window = Json.optionalText(o, "window");
    JsonNode field = Json.required(o, "field");
    JsonNode op = Json.required(o, "op");
    BigDecimal threshold = Json.decimal(o, "threshold");
    AlertRule rule =
        new AlertRule(
            Json.text(o, "id"),
            Json.text(o, "symbol"),
            AlertRule.Field.parse(Json.text(field, "field")),
            AlertRule.Op.parse(Json.text(op, "op")),
            threshold,
            window == null ? null : MetricWindow.parse(window));
    return new ControlEvent.AddAlertRule(rule, Json.optionalText(o, "owner"));
  }

  /**
   * A parameter given as a JSON number as short plain text ({@code 20}, {@code 0.5}), as if it had
   * been given as a string.
   */
  private static String plainNumber(JsonNode n, String field) {
    BigDecimal d = n.decimalValue();
    if (d.signum() == 0) {
      return "0";
    }
    long magnitude = (long) d.precision() - d.scale();
    if (magnitude > 20 || magnitude < -20 || d.precision() > 40) {
      throw new InvalidRecordException(field, "is out of range");
    }
    BigDecimal s = d.stripTrailingZeros();
    return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
  }
}
