package dev.papertape.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.Set;

/** Shared strict JSON reading helpers for the codecs: exact decimals, precise field errors. */
final class Json {
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
          .build();

  private static final int MAX_BYTES = 64 * 1024;

  private Json() {}

  static ObjectNode readObject(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new InvalidRecordException(null, "empty record: expected a JSON object");
    }
    if (bytes.length > MAX_BYTES) {
      throw new InvalidRecordException(
          null, "record of " + bytes.length + " bytes exceeds the " + MAX_BYTES + "-byte limit");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new InvalidRecordException(
          null, "not valid JSON: " + e.getOriginalMessage() + " at " + location(e));
    } catch (IOException e) {
      throw new InvalidRecordException("unreadable record: " + e.getMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new InvalidRecordException(
          null,
          "expected a JSON object, got "
              + (node == null ? "nothing" : node.getNodeType().name().toLowerCase()));
    }
    return (ObjectNode) node;
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? "unknown position"
        : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }

  static void checkFields(ObjectNode obj, Set<String> known, UnknownFields policy) {
    if (policy == UnknownFields.IGNORE) {
      return;
    }
    for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        throw new InvalidRecordException(
            name, "unknown field; accepted fields are " + String.join(", ", known));
      }
    }
  }

  static JsonNode required(ObjectNode obj, String field) {
    JsonNode n = obj.get(field);
    if (n == null || n.isNull()) {
      throw new InvalidRecordException(field, "is missing");
    }
    return n;
  }

  static String text(ObjectNode obj, String field) {
    JsonNode n = required(obj, field);
    if (!n.isTextual()) {
      throw new InvalidRecordException(field, "must be a string, got " + n);
    }
    return n.asText();
  }

  static String optionalText(ObjectNode obj, String field) {
    JsonNode n = obj.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw new InvalidRecordException(field, "must be a string, got " + n);
    }
    return n.asText();
  }

  static BigDecimal decimal(ObjectNode obj, String field) {
    JsonNode n = required(obj, field);
    if (!n.isNumber()) {
      throw new InvalidRecordException(field, "must be a JSON number, got " + n);
    }
    return n.decimalValue();
  }

  static long wholeNumber(ObjectNode obj, String field) {
    JsonNode n = required(obj, field);
    if (!n.isNumber()) {
      throw new InvalidRecordException(field, "must be a JSON number, got " + n);
    }
    BigDecimal d = n.decimalValue();
    try {
      return d.stripTrailingZeros().longValueExact();
    } catch (ArithmeticException e) {
      throw new InvalidRecordException(field, "must be a whole number, got " + d.toPlainString());
    }
  }

  /** ISO-8601 text or epoch milliseconds. */
  static Instant instant(ObjectNode obj, String field) {
    JsonNode n = required(obj, field);
    if (n.isTextual()) {
      return Timestamps.parse(field, n.asText());
    }
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      return Timestamps.ofEpochMilli(n.longValue());
    }
    throw new InvalidRecordException(
        field, "must be an ISO-8601 string or epoch milliseconds, got " + n);
  }

  static byte[] bytes(ObjectNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + node, e);
    }
  }

  static String preview(byte[] raw) {
    String s = new String(raw, 0, Math.min(raw.length, 200), StandardCharsets.UTF_8);
    return raw.length > 200 ? s + "…" : s;
  }
}
