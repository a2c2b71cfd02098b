package dev.papertape.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The public helpers other modules' codecs use (the strategies' control events). */
class JsonTest {
  static ObjectNode read(String json) {
    return Json.readObject(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aNestedObjectNamesItsUnknownFieldWithThePrefix() {
    ObjectNode o = read("{\"mode\":\"x\",\"colour\":1}");
    LinkedHashSet<String> known = new LinkedHashSet<>(List.of("mode", "value"));
    assertThatThrownBy(() -> Json.checkFields(o, known, UnknownFields.REJECT, "sizing."))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessage("field 'sizing.colour': unknown field; accepted fields are mode, value");
    Json.checkFields(o, known, UnknownFields.IGNORE, "sizing.");
  }

  @Test
  void optionalBooleansAndNodeReadersNameTheField() {
    ObjectNode o = read("{\"a\":true,\"b\":null,\"c\":\"yes\",\"d\":[\"x\",1.50]}");
    assertThat(Json.optionalBoolean(o, "a")).isTrue();
    assertThat(Json.optionalBoolean(o, "b")).isNull();
    assertThat(Json.optionalBoolean(o, "z")).isNull();
    assertThatThrownBy(() -> Json.optionalBoolean(o, "c"))
        .hasMessage("field 'c': must be true or false, got the string 'yes'");
    assertThat(Json.text(o.get("d").get(0), "d")).isEqualTo("x");
    assertThat(Json.decimal(o.get("d").get(1), "d")).isEqualByComparingTo(new BigDecimal("1.5"));
    assertThatThrownBy(() -> Json.text(o.get("d").get(1), "d"))
        .isInstanceOfSatisfying(
            InvalidRecordException.class, e -> assertThat(e.field()).isEqualTo("d"));
    assertThatThrownBy(() -> Json.decimal(o.get("d").get(0), "d"))
        .hasMessage("field 'd': must be a JSON number, got the string 'x'");
  }

  @Test
  void newObjectsEncodeDecimalsPlain() {
    ObjectNode o = Json.newObject();
    o.put("v", new BigDecimal("1E+3"));
    assertThat(new String(Json.bytes(o), StandardCharsets.UTF_8)).isEqualTo("{\"v\":1000}");
  }
}
