package dev.papertape.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class DeadLetterTest {
  @Test
  void keepsTheRawBytesExactlyAndAsTextWhenTheyAreText() throws Exception {
    byte[] raw = "garbage {".getBytes(StandardCharsets.UTF_8);
    JsonNode j =
        Json.MAPPER.readTree(
            new DeadLetter("trades", 2, 41, "AAPL", raw, "not valid JSON", Instant.EPOCH).encode());
    assertThat(j.get("raw").asText()).isEqualTo("garbage {");
    assertThat(Base64.getDecoder().decode(j.get("rawBase64").asText())).isEqualTo(raw);
    assertThat(j.get("error").asText()).isEqualTo("not valid JSON");
    assertThat(j.get("offset").asLong()).isEqualTo(41);
  }

  @Test
  void binaryRecordsKeepOnlyBase64() throws Exception {
    byte[] raw = {(byte) 0xff, (byte) 0xfe, 0, 1};
    JsonNode j =
        Json.MAPPER.readTree(
            new DeadLetter("trades", 0, 0, null, raw, "e", Instant.EPOCH).encode());
    assertThat(j.get("raw").isNull()).isTrue();
    assertThat(Base64.getDecoder().decode(j.get("rawBase64").asText())).isEqualTo(raw);
  }
}
