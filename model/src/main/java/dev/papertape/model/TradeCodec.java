package dev.papertape.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * JSON codec of {@link Trade}, the {@code trades} contract:
 *
 * <pre>
 * {"symbol":"AAPL","price":189.42,"size":100,"ts":"2026-11-24T14:30:00.123Z","tradeId":"…","source":"sim"}
 * </pre>
 *
 * <p>{@code symbol}, {@code price}, {@code size} and {@code ts} are required; {@code tradeId} and
 * {@code source} are optional on input (the caller supplies a deterministic fallback id, e.g. the
 * Kafka partition and offset, so replays stay idempotent). Immutable and thread-safe.
 */
public final class TradeCodec implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final Set<String> FIELDS =
      new LinkedHashSet<>(List.of("symbol", "price", "size", "ts", "tradeId", "source"));

  /** Source recorded when a producer does not name one. */
  public static final String DEFAULT_SOURCE = "external";

  private final UnknownFields unknownFields;

  public TradeCodec(UnknownFields unknownFields) {
    this.unknownFields = unknownFields;
  }

  public TradeCodec() {
    this(UnknownFields.REJECT);
  }

  /** The id of a record without {@code tradeId}: its Kafka coordinates, stable on replay. */
  public static String fallbackId(String topic, int partition, long offset) {
    return "kafka-" + topic + "-" + partition + "-" + offset;
  }

  /**
   * Decodes one record. Total: any bytes give a {@link Trade} or an {@link InvalidRecordException}
   * with a short message (at most a short prefix of any input value is quoted), never another
   * exception.
   *
   * @param fallbackTradeId used when the record has no {@code tradeId}
   * @throws InvalidRecordException with a message naming the field and the problem
   */
  public Trade decode(byte[] json, String fallbackTradeId) {
    return Json.total(() -> read(json, fallbackTradeId));
  }

  private Trade read(byte[] json, String fallbackTradeId) {
    ObjectNode obj = Json.readObject(json);
    Json.checkFields(obj, FIELDS, unknownFields);
    String tradeId = Json.optionalText(obj, "tradeId");
    String source = Json.optionalText(obj, "source");
    return new Trade(
        Json.text(obj, "symbol"),
        Json.decimal(obj, "price"),
        Json.wholeNumber(obj, "size"),
        Json.instant(obj, "ts"),
        tradeId == null ? fallbackTradeId : tradeId,
        source == null ? DEFAULT_SOURCE : source);
  }

  /**
   * Encodes a trade in the contract's field order. Streams straight to bytes (no tree), since the
   * feed calls it for every trade it produces.
   */
  public byte[] encode(Trade t) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(160);
    try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("symbol", t.symbol());
      g.writeFieldName("price");
      g.writeNumber(t.price());
      g.writeNumberField("size", t.size());
      g.writeStringField("ts", Timestamps.format(t.ts()));
      g.writeStringField("tradeId", t.tradeId());
      g.writeStringField("source", t.source());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + t, e);
    }
    return out.toByteArray();
  }
}
