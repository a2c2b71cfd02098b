package dev.papertape.flink.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.model.DeadLetter;
import dev.papertape.model.UnknownFields;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TradeDeserializerTest {
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  private final TradeDeserializer deserializer =
      new TradeDeserializer(
          UnknownFields.REJECT, Duration.ofSeconds(5), Clock.fixed(NOW, ZoneOffset.UTC));

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private ParsedRecord parse(String json) {
    return deserializer.parse("trades", 0, 9, null, utf8(json));
  }

  @Test
  void aRecordWithoutTradeIdGetsOneFromItsKafkaCoordinates() {
    ParsedRecord r =
        deserializer.parse(
            "trades",
            3,
            1234,
            utf8("AAPL"),
            utf8("{\"symbol\":\"AAPL\",\"price\":1.5,\"size\":2,\"ts\":1}"));
    assertThat(r.isValid()).isTrue();
    assertThat(r.trade.tradeId()).isEqualTo("kafka-trades-3-1234");
    assertThat(r.rejected).isNull();
  }

  @Test
  void aBadRecordKeepsItsBytesCoordinatesAndReason() {
    byte[] raw = utf8("{\"symbol\":\"AAPL\",\"price\":-1,\"size\":2,\"ts\":1}");
    ParsedRecord r = deserializer.parse("trades", 0, 7, utf8("AAPL"), raw);
    assertThat(r.isValid()).isFalse();
    assertThat(r.rejected.raw()).isEqualTo(raw);
    assertThat(r.rejected.offset()).isEqualTo(7);
    assertThat(r.rejected.key()).isEqualTo("AAPL");
    assertThat(r.rejected.stage()).isEqualTo(DeadLetter.DECODE);
    assertThat(r.rejected.failedAt()).isEqualTo(NOW);
    assertThat(r.rejected.error()).isEqualTo("field 'price': must be greater than 0, got -1");
  }

  @Test
  void aNullValueIsRejectedNotThrown() {
    ParsedRecord r = deserializer.parse("trades", 0, 8, null, null);
    assertThat(r.isValid()).isFalse();
    assertThat(r.rejected.error()).contains("empty record");
  }

  @Test
  void aTradeFromTheFutureIsRejectedWithItsReason() {
    ParsedRecord r =
        parse("{\"symbol\":\"AAPL\",\"price\":10,\"size\":1,\"ts\":\"2099-06-01T00:00:00Z\"}");
    assertThat(r.isValid()).isFalse();
    assertThat(r.rejected.error())
        .isEqualTo(
            "field 'ts': 2099-06-01T00:00:00.000Z is more than PT5S ahead of the processing time"
                + " 2026-11-25T12:00:00.000Z (PAPERTAPE_MAX_CLOCK_SKEW); trades from the future"
                + " are not accepted");
  }

  @Test
  void aTradeWithinTheSkewAndAnyPastTradeAreAccepted() {
    assertThat(
            parse("{\"symbol\":\"AAPL\",\"price\":10,\"size\":1,\"ts\":\"2026-11-25T12:00:05Z\"}")
                .isValid())
        .isTrue();
    assertThat(
            parse("{\"symbol\":\"AAPL\",\"price\":10,\"size\":1,\"ts\":\"1999-01-04T14:30:00Z\"}")
                .isValid())
        .isTrue();
    assertThat(
            parse(
                    "{\"symbol\":\"AAPL\",\"price\":10,\"size\":1,\"ts\":\"2026-11-25T12:00:05.001Z\"}")
                .isValid())
        .isFalse();
  }

  @Test
  void hostileNumbersAreRejectedWithAShortReason() {
    for (String price :
        new String[] {"1e2147483647", "1e-2147483647", "1E+999999999", "9".repeat(5000)}) {
      ParsedRecord r =
          parse(
              "{\"symbol\":\"AAPL\",\"price\":"
                  + price
                  + ",\"size\":1,\"ts\":\"2026-01-01T00:00:00Z\"}");
      assertThat(r.isValid()).as(price).isFalse();
      assertThat(r.rejected.error()).as(price).hasSizeLessThan(400);
    }
  }

  @Test
  void aControlCharacterInATextFieldIsRejected() {
    ParsedRecord r =
        parse(
            "{\"symbol\":\"AAPL\",\"price\":10,\"size\":1,\"ts\":\"2026-01-01T00:00:00Z\","
                + "\"tradeId\":\"a\\u0000b\"}");
    assertThat(r.isValid()).isFalse();
    assertThat(r.rejected.error()).startsWith("field 'tradeId'");
  }

  @Test
  void aHugeRecordBecomesABoundedDeadLetter() {
    byte[] raw = new byte[3 * 1024 * 1024];
    Arrays.fill(raw, (byte) '[');
    ParsedRecord r = deserializer.parse("trades", 1, 2, null, raw);
    assertThat(r.isValid()).isFalse();
    assertThat(r.rejected.size()).isEqualTo(raw.length);
    assertThat(r.rejected.truncated()).isTrue();
    assertThat(r.rejected.raw()).hasSize(DeadLetter.MAX_RAW_BYTES);
    assertThat(r.rejected.encode().length).isLessThan(DeadLetter.MAX_ENCODED_BYTES);
  }
}
