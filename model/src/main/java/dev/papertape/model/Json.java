package dev.papertape.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Strict JSON reading and writing shared by the codecs of the contracts and of the modules that
 * define their own records (the strategies' control events): exact decimals, precise field errors,
 * and totality: any bytes give an {@link ObjectNode} or an {@link InvalidRecordException} with a
 * short message, in time and memory bounded by {@value #MAX_BYTES} bytes of input.
 *
 * <p>The public API: {@link #readObject} and {@link #total} to decode, {@link #newObject} and
 * {@link #bytes} to encode, {@link #checkFields} for unknown fields, and field readers that name
 * the field in their rejection ({@link #required}, {@link #text}, {@link #optionalText}, {@link
 * #optionalBoolean}, {@link #decimal}), plus {@link #describe} of a node for messages.
 *
 * <p>Limits, beyond Jackson's defaults: a record is at most {@value #MAX_BYTES} bytes, nests at
 * most {@value #MAX_DEPTH} levels of objects or arrays and has numbers of at most {@value
 * #MAX_NUMBER_CHARS} characters (Jackson refuses them while reading, before any {@code BigDecimal}
 * exists); nothing may follow the object; duplicate keys are refused. A number whose exponent does
 * not fit an {@code int} is refused with its field and position.
 */
public final class Json {
  /** Most bytes of one record. */
  public static final int MAX_BYTES = 64 * 1024;

  /** Most levels of nested objects or arrays. */
  public static final int MAX_DEPTH = 32;

  /** Most characters of one number. */
  public static final int MAX_NUMBER_CHARS = 100;

  /** Characters of a parser's own message kept in a rejection. */
  private static final int MAX_PARSER_MESSAGE = 160;

  static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxDocumentLength(MAX_BYTES)
                          .maxNestingDepth(MAX_DEPTH)
                          .maxNumberLength(MAX_NUMBER_CHARS)
                          .maxStringLength(MAX_BYTES)
                          .maxNameLength(MAX_BYTES)
                          .build())
                  .build())
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
          .build();

  private Json() {}

  /**
   * Reads one record that must be a JSON object, within the limits above.
   *
   * @throws InvalidRecordException for anything else, with a short message
   */
  public static ObjectNode readObject(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new InvalidRecordException(null, "empty record: expected a JSON object");
    }
    if (bytes.length > MAX_BYTES) {
      throw new InvalidRecordException(
          null, "record of " + bytes.length + " bytes exceeds the " + MAX_BYTES + "-byte limit");
    }
    JsonNode node;
    try (JsonParser p = MAPPER.createParser(bytes)) {
      node = read(p);
    } catch (IOException e) {
      // createParser and close do no I/O on a byte array; read(p) maps its own errors
      throw new InvalidRecordException("unreadable record: " + parserMessage(e), e);
    }
    if (node == null || !node.isObject()) {
      throw new InvalidRecordException(
          null,
          "expected a JSON object, got "
              + (node == null || node.isMissingNode()
                  ? "nothing"
                  : node.getNodeType().name().toLowerCase(Locale.ROOT)));
    }
    return (ObjectNode) node;
  }

  private static JsonNode read(JsonParser p) {
    try {
      return MAPPER.readTree(p);
    } catch (StreamConstraintsException e) {
      throw new InvalidRecordException(null, "not valid JSON: " + parserMessage(e));
    } catch (JsonProcessingException e) {
      throw new InvalidRecordException(
          null, "not valid JSON: " + parserMessage(e) + " at " + location(e.getLocation()));
    } catch (NumberFormatException | ArithmeticException e) {
      // Jackson hands BigDecimal's own failure through: an exponent beyond the int range
      throw new InvalidRecordException(
          currentField(p),
          "not valid JSON: the number's exponent is out of range at "
              + location(p.currentLocation()));
    } catch (IOException e) {
      // e.g. CharConversionException: bytes that are not text in the detected encoding
      throw new InvalidRecordException("unreadable record: " + parserMessage(e), e);
    }
  }

  private static String currentField(JsonParser p) {
    try {
      String name = p.currentName();
      return name == null ? null : TextFields.excerpt(name, TextFields.QUOTED_CHARS);
    } catch (IOException e) {
      return null; // the record as a whole is named instead
    }
  }

  private static String parserMessage(IOException e) {
    String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    return TextFields.excerpt(m == null ? e.getClass().getSimpleName() : m, MAX_PARSER_MESSAGE);
  }

  private static String location(JsonLocation at) {
    return at == null
        ? "unknown position"
        : "line " + at.getLineNr() + ", column " + at.getColumnNr();
  }

  /**
   * An unexpected failure inside a codec's decode, as the one rejection: decoding is total, so a
   * bug must not escape as another exception (and stop a consumer).
   */
  static InvalidRecordException unexpected(RuntimeException e) {
    return new InvalidRecordException(
        "unreadable record: decoding failed with " + e.getClass().getName(), e);
  }

  /**
   * Runs a codec's decoding totally: its own rejection passes through, any other runtime failure
   * becomes one rejection ({@code unreadable record: decoding failed with} the exception's class),
   * so a bug cannot escape and stop a consumer.
   */
  public static <T> T total(Supplier<T> decoding) {
    try {
      return decoding.get();
    } catch (InvalidRecordException e) {
      throw e;
    } catch (RuntimeException e) {
      throw unexpected(e);
    }
  }

  /** A short description of a node for messages: its type, and its value when that is short. */
  public static String describe(JsonNode n) {
    if (n.isTextual()) {
      return "the string " + TextFields.quote(n.textValue());
    }
    if (n.isNumber()) {
      return "the number " + Numbers.describe(n.decimalValue());
    }
    if (n.isBoolean()) {
      return n.booleanValue() ? "true" : "false";
    }
    if (n.isNull()) {
      return "null";
    }
    if (n.isArray()) {
      return "an array";
    }
    if (n.isObject()) {
      return "an object";
    }
    return n.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  /**
   * Unless {@code policy} ignores them, rejects a field of {@code obj} that is not in {@code
   * known}, naming it and the accepted ones.
   *
   * @throws InvalidRecordException for the first unknown field
   */
  public static void checkFields(ObjectNode obj, Set<String> known, UnknownFields policy) {
    checkFields(obj, known, policy, "");
  }

  /**
   * {@link #checkFields(ObjectNode, Set, UnknownFields)} for a nested object: the rejected field is
   * named with {@code prefix} before it, e.g. {@code sizing.}.
   */
  public static void checkFields(
      ObjectNode obj, Set<String> known, UnknownFields policy, String prefix) {
    if (policy == UnknownFields.IGNORE) {
      return;
    }
    for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        throw new InvalidRecordException(
            prefix + TextFields.excerpt(name, TextFields.QUOTED_CHARS),
            "unknown field; accepted fields are " + String.join(", ", known));
      }
    }
  }

  /**
   * The value of {@code field}.
   *
   * @throws InvalidRecordException when it is absent or {@code null}
   */
  public static JsonNode required(ObjectNode obj, String field) {
    JsonNode n = obj.get(field);
    if (n == null || n.isNull()) {
      throw new InvalidRecordException(field, "is missing");
    }
    return n;
  }

  /** The string {@code field}, which must be present. */
  public static String text(ObjectNode obj, String field) {
    return text(required(obj, field), field);
  }

  /**
   * The string value of {@code n}, e.g. an array element, named {@code field} in a rejection.
   *
   * @throws InvalidRecordException when it is not a string
   */
  public static String text(JsonNode n, String field) {
    if (!n.isTextual()) {
      throw new InvalidRecordException(field, "must be a string, got " + describe(n));
    }
    return n.textValue();
  }

  /** The string {@code field}, or {@code null} when it is absent or {@code null}. */
  public static String optionalText(ObjectNode obj, String field) {
    JsonNode n = obj.get(field);
    return n == null || n.isNull() ? null : text(n, field);
  }

  /** The boolean {@code field}, or {@code null} when it is absent or {@code null}. */
  public static Boolean optionalBoolean(ObjectNode obj, String field) {
    JsonNode n = obj.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isBoolean()) {
      throw new InvalidRecordException(field, "must be true or false, got " + describe(n));
    }
    return n.booleanValue();
  }

  /** The exact number {@code field}, which must be present. */
  public static BigDecimal decimal(ObjectNode obj, String field) {
    return decimal(required(obj, field), field);
  }

  /**
   * The exact number value of {@code n}, named {@code field} in a rejection.
   *
   * @throws InvalidRecordException when it is not a JSON number
   */
  public static BigDecimal decimal(JsonNode n, String field) {
    if (!n.isNumber()) {
      throw new InvalidRecordException(field, "must be a JSON number, got " + describe(n));
    }
    return n.decimalValue();
  }

  /**
   * A whole number that fits a {@code long}; {@code 1e2}, {@code 100.0} are accepted. The range is
   * checked from precision and scale first, so {@code 1e2147483647} is answered at once.
   */
  static long wholeNumber(ObjectNode obj, String field) {
    JsonNode n = required(obj, field);
    if (!n.isNumber()) {
      throw new InvalidRecordException(field, "must be a JSON number, got " + describe(n));
    }
    BigDecimal d = n.decimalValue();
    if (d.signum() == 0) {
      return 0;
    }
    long magnitude = Numbers.magnitude(d);
    if (magnitude > 19) {
      throw new InvalidRecordException(
          field, "must be a whole number of at most 19 digits, got " + Numbers.describe(d));
    }
    if (magnitude <= 0 || d.scale() > 0 && d.stripTrailingZeros().scale() > 0) {
      throw new InvalidRecordException(field, "must be a whole number, got " + Numbers.describe(d));
    }
    try {
      return d.longValueExact();
    } catch (ArithmeticException e) {
      throw new InvalidRecordException(
          field, "must be a whole number of at most 19 digits, got " + Numbers.describe(d));
    }
  }

  /** ISO-8601 text or epoch milliseconds. */
  static Instant instant(ObjectNode obj, String field) {
    JsonNode n = required(obj, field);
    if (n.isTextual()) {
      return Timestamps.parse(field, n.textValue());
    }
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      return Timestamps.ofEpochMilli(n.longValue());
    }
    throw new InvalidRecordException(
        field, "must be an ISO-8601 string or epoch milliseconds, got " + describe(n));
  }

  /** A new empty object to encode into. */
  public static ObjectNode newObject() {
    return MAPPER.createObjectNode();
  }

  /** The compact UTF-8 bytes of {@code node}, decimals written plain. */
  public static byte[] bytes(ObjectNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + node, e);
    }
  }
}
