package dev.papertape.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * JSON codec of {@link Signal}, the {@code price-alerts} contract: {@code
 * {"id","kind":"SIGNAL"|"ALERT","symbol","source","side":"BUY"|"SELL"|null,"price","reason","ts"}}.
 */
public final class SignalCodec implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final Set<String> FIELDS =
      new LinkedHashSet<>(
          List.of("id", "kind", "symbol", "source", "side", "price", "reason", "ts"));

  private final UnknownFields unknownFields;

  public SignalCodec(UnknownFields unknownFields) {
    this.unknownFields = unknownFields;
  }

  public SignalCodec() {
    this(UnknownFields.REJECT);
  }

  public byte[] encode(Signal s) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", s.id());
    o.put("kind", s.kind().name());
    o.put("symbol", s.symbol());
    o.put("source", s.source());
    o.put("side", s.side() == null ? null : s.side().name());
    o.put("price", s.price());
    o.put("reason", s.reason());
    o.put("ts", Timestamps.format(s.ts()));
    return Json.bytes(o);
  }

  /**
   * Decodes one record. Total: any bytes give a {@link Signal} or an {@link InvalidRecordException}
   * with a short message, never another exception.
   */
  public Signal decode(byte[] json) {
    return Json.total(() -> read(json));
  }

  private Signal read(byte[] json) {
    ObjectNode o = Json.readObject(json);
    Json.checkFields(o, FIELDS, unknownFields);
    String side = Json.optionalText(o, "side");
    return new Signal(
        Json.text(o, "id"),
        Signal.Kind.parse(Json.text(o, "kind")),
        Json.text(o, "symbol"),
        Json.text(o, "source"),
        side == null ? null : Signal.Side.parse("side", side),
        Json.decimal(o, "price"),
        Json.optionalText(o, "reason"),
        Json.instant(o, "ts"));
  }
}
