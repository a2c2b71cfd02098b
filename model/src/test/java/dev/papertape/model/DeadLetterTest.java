package dev.papertape.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DeadLetterTest {
  private static JsonNode encoded(DeadLetter d) throws Exception {
    return Json.MAPPER.readTree(d.encode());
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  @Test
  void keepsTextRecordsOnceAsTextWithTheirSizeAndHash() throws Exception {
    byte[] raw = "garbage {".getBytes(StandardCharsets.UTF_8);
    JsonNode j =
        encoded(
            DeadLetter.of(
                "trades", 2, 41, "AAPL", raw, DeadLetter.DECODE, "not valid JSON", Instant.EPOCH));
    assertThat(j.get("raw").asText()).isEqualTo("garbage {");
    assertThat(j.has("rawBase64")).as("the bytes are kept once, not twice").isFalse();
    assertThat(j.get("size").asInt()).isEqualTo(raw.length);
    assertThat(j.get("sha256").asText()).isEqualTo(sha256(raw));
    assertThat(j.get("truncated").asBoolean()).isFalse();
    assertThat(j.get("stage").asText()).isEqualTo("decode");
    assertThat(j.get("error").asText()).isEqualTo("not valid JSON");
    assertThat(j.get("offset").asLong()).isEqualTo(41);
  }

  @Test
  void binaryRecordsKeepOnlyBase64() throws Exception {
    byte[] raw = {(byte) 0xff, (byte) 0xfe, 0, 1};
    JsonNode j =
        encoded(DeadLetter.of("trades", 0, 0, null, raw, DeadLetter.DECODE, "e", Instant.EPOCH));
    assertThat(j.has("raw")).isFalse();
    assertThat(Base64.getDecoder().decode(j.get("rawBase64").asText())).isEqualTo(raw);
  }

  @Test
  void aHugeRecordIsTruncatedButKeepsItsOriginalSizeAndHash() throws Exception {
    byte[] raw = new byte[5 * 1024 * 1024];
    Arrays.fill(raw, (byte) 'x');
    DeadLetter d =
        DeadLetter.of(
            "trades",
            0,
            7,
            "k".repeat(100_000),
            raw,
            DeadLetter.DECODE,
            "e".repeat(100_000),
            Instant.EPOCH);
    byte[] bytes = d.encode();
    JsonNode j = Json.MAPPER.readTree(bytes);
    assertThat(bytes.length).isLessThan(DeadLetter.MAX_ENCODED_BYTES);
    assertThat(j.get("truncated").asBoolean()).isTrue();
    assertThat(j.get("size").asInt()).isEqualTo(raw.length);
    assertThat(j.get("sha256").asText()).isEqualTo(sha256(raw));
    assertThat(j.get("raw").asText()).hasSize(DeadLetter.MAX_RAW_BYTES);
    assertThat(j.get("key").asText().length()).isLessThanOrEqualTo(DeadLetter.MAX_TEXT + 1);
    assertThat(j.get("error").asText().length()).isLessThanOrEqualTo(DeadLetter.MAX_TEXT + 1);
  }

  @Test
  void truncationNeverSplitsAUtf8CharacterIntoBinary() throws Exception {
    byte[] raw = "é".repeat(DeadLetter.MAX_RAW_BYTES).getBytes(StandardCharsets.UTF_8);
    JsonNode j =
        encoded(DeadLetter.of("trades", 0, 0, null, raw, DeadLetter.DECODE, "e", Instant.EPOCH));
    assertThat(j.get("raw").asText()).matches("é+");
    assertThat(j.get("truncated").asBoolean()).isTrue();
  }

  @Test
  void controlCharactersInTheRecordStayEscapedJson() throws Exception {
    byte[] raw = "{\"tradeId\":\"a\u0000b\"}".getBytes(StandardCharsets.UTF_8);
    JsonNode j =
        encoded(DeadLetter.of("trades", 0, 0, "\u0000", raw, DeadLetter.STORE, "e", Instant.EPOCH));
    assertThat(j.get("raw").asText()).isEqualTo("{\"tradeId\":\"a\u0000b\"}");
    assertThat(j.get("stage").asText()).isEqualTo("store");
  }
}
