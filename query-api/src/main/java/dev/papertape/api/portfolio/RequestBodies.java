package dev.papertape.api.portfolio;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.papertape.api.problem.Problems;
import dev.papertape.model.TextFields;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import org.springframework.web.ErrorResponseException;

/**
 * Reads the portfolio's JSON request bodies strictly and totally: any text gives an object or a 400
 * {@code invalid-parameter} problem naming the field (the body as a whole: {@code body}). Decimals
 * are read exactly (never through {@code double}); duplicate keys, trailing text, unknown fields
 * and bodies over {@value #MAX_CHARS} characters are refused.
 */
final class RequestBodies {
  static final int MAX_CHARS = 4096;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxDocumentLength(MAX_CHARS)
                          .maxNestingDepth(4)
                          .maxNumberLength(40)
                          .build())
                  .build())
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private RequestBodies() {}

  static ErrorResponseException invalid(String field, String detail) {
    return Problems.invalidParameter(field, detail);
  }

  /** The body as an object with only {@code allowed} fields; blank: an empty object. */
  static ObjectNode object(String body, Set<String> allowed) {
    if (body == null || body.isBlank()) {
      return MAPPER.createObjectNode();
    }
    if (body.length() > MAX_CHARS) {
      throw invalid("body", "The request body exceeds " + MAX_CHARS + " characters.");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw invalid(
          "body",
          "The request body is not valid JSON: "
              + TextFields.excerpt(String.valueOf(e.getOriginalMessage()), 160)
              + ".");
    } catch (RuntimeException e) {
      throw invalid("body", "The request body is not valid JSON.");
    }
    if (node == null || !node.isObject()) {
      throw invalid("body", "The request body must be a JSON object.");
    }
    ObjectNode o = (ObjectNode) node;
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw invalid(
            TextFields.excerpt(f, TextFields.QUOTED_CHARS),
            "Unknown field '"
                + TextFields.excerpt(f, TextFields.QUOTED_CHARS)
                + "'; accepted: "
                + String.join(", ", allowed.stream().sorted().toList())
                + ".");
      }
    }
    return o;
  }

  /** The field, or {@code null} when absent or JSON null. */
  static JsonNode field(ObjectNode o, String name) {
    JsonNode n = o.get(name);
    return n == null || n.isNull() ? null : n;
  }

  static String text(ObjectNode o, String name, boolean required) {
    JsonNode n = field(o, name);
    if (n == null) {
      if (required) {
        throw invalid(name, "'" + name + "' is required.");
      }
      return null;
    }
    if (!n.isTextual()) {
      throw invalid(name, "'" + name + "' must be a string.");
    }
    return n.textValue();
  }

  static <E extends Enum<E>> E enumValue(ObjectNode o, String name, Class<E> type, E fallback) {
    String t = text(o, name, fallback == null);
    if (t == null) {
      return fallback;
    }
    try {
      return Enum.valueOf(type, t.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      StringBuilder accepted = new StringBuilder();
      for (E c : type.getEnumConstants()) {
        accepted.append(accepted.isEmpty() ? "" : ", ").append(c.name());
      }
      throw invalid(
          name,
          "'"
              + name
              + "' must be one of "
              + accepted
              + ", got '"
              + TextFields.excerpt(t, TextFields.QUOTED_CHARS)
              + "'.");
    }
  }

  /** A whole number in [min, max]. */
  static long wholeNumber(ObjectNode o, String name, long min, long max) {
    JsonNode n = field(o, name);
    if (n == null) {
      throw invalid(name, "'" + name + "' is required.");
    }
    if (!n.isIntegralNumber()) {
      throw invalid(
          name, "'" + name + "' must be a whole number between " + min + " and " + max + ".");
    }
    BigInteger v = n.bigIntegerValue();
    if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
      throw invalid(
          name, "'" + name + "' must be between " + min + " and " + max + ", got " + v + ".");
    }
    return v.longValueExact();
  }

  /** A JSON number, exactly, or {@code null} when absent. */
  static BigDecimal decimal(ObjectNode o, String name) {
    JsonNode n = field(o, name);
    if (n == null) {
      return null;
    }
    if (!n.isNumber()) {
      throw invalid(name, "'" + name + "' must be a JSON number.");
    }
    return n.decimalValue();
  }
}
