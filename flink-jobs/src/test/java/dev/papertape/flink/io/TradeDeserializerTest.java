package dev.papertape.flink.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.model.UnknownFields;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TradeDeserializerTest {
  private final TradeDeserializer deserializer = new TradeDeserializer(UnknownFields.REJECT);

  @Test
  void aRecordWithoutTradeIdGetsOneFromItsKafkaCoordinates() {
    ParsedRecord r =
        deserializer.parse(
            "trades",
            3,
            1234,
            "AAPL".getBytes(StandardCharsets.UTF_8),
            "{\"symbol\":\"AAPL\",\"price\":1.5,\"size\":2,\"ts\":1}"
                .getBytes(StandardCharsets.UTF_8));
    assertThat(r.isValid()).isTrue();
    assertThat(r.trade.tradeId()).isEqualTo("kafka-trades-3-1234");
    assertThat(r.raw).isNull();
  }

  @Test
  void aBadRecordKeepsItsBytesCoordinatesAndReason() {
    byte[] raw =
        "{\"symbol\":\"AAPL\",\"price\":-1,\"size\":2,\"ts\":1}".getBytes(StandardCharsets.UTF_8);
    ParsedRecord r = deserializer.parse("trades", 0, 7, null, raw);
    assertThat(r.isValid()).isFalse();
    assertThat(r.raw).isEqualTo(raw);
    assertThat(r.offset).isEqualTo(7);
    assertThat(r.error).isEqualTo("field 'price': must be greater than 0, got -1");
  }

  @Test
  void aNullValueIsRejectedNotThrown() {
    ParsedRecord r = deserializer.parse("trades", 0, 8, null, null);
    assertThat(r.isValid()).isFalse();
    assertThat(r.error).contains("empty record");
  }
}
