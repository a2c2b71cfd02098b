package dev.papertape.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TradeCodecTest {
  private final TradeCodec codec = new TradeCodec();

  private Trade decode(String json) {
    return codec.decode(json.getBytes(StandardCharsets.UTF_8), "fallback-1");
  }

  @Test
  void decodesTheContractExample() {
    Trade t =
        decode(
            "{\"symbol\":\"AAPL\",\"price\":189.42,\"size\":100,"
                + "\"ts\":\"2026-11-24T14:30:00.123Z\",\"tradeId\":\"x1\",\"source\":\"sim\"}");
    assertThat(t)
        .isEqualTo(
            new Trade(
                "AAPL",
                new BigDecimal("189.42"),
                100,
                Instant.parse("2026-11-24T14:30:00.123Z"),
                "x1",
                "sim"));
  }

  @Test
  void roundTripsExactlyIncludingTinyAndLargePrices() {
    for (String price : new String[] {"0.00000001", "9999999999.99999999", "100", "12.5"}) {
      Trade t =
          new Trade(
              "BRK.B",
              new BigDecimal(price),
              7,
              Instant.parse("2026-01-02T03:04:05.006Z"),
              "id",
              "csv");
      byte[] json = codec.encode(t);
      assertThat(new String(json, StandardCharsets.UTF_8))
          .contains("\"price\":" + new BigDecimal(price).stripTrailingZeros().toPlainString())
          .contains("\"ts\":\"2026-01-02T03:04:05.006Z\"");
      assertThat(codec.decode(json, "unused")).isEqualTo(t);
    }
  }

  @Test
  void acceptsEpochMillisOffsetsLowerCaseSymbolsAndOptionalFields() {
    Trade t = decode("{\"symbol\":\" msft \",\"price\":420.10,\"size\":1,\"ts\":1764000000123}");
    assertThat(t.symbol()).isEqualTo("MSFT");
    assertThat(t.price()).isEqualTo(new BigDecimal("420.1"));
    assertThat(t.ts()).isEqualTo(Instant.ofEpochMilli(1764000000123L));
    assertThat(t.tradeId()).isEqualTo("fallback-1");
    assertThat(t.source()).isEqualTo(TradeCodec.DEFAULT_SOURCE);
    Trade offset =
        decode("{\"symbol\":\"X\",\"price\":1,\"size\":1,\"ts\":\"2026-11-24T15:30:00.5+01:00\"}");
    assertThat(offset.ts()).isEqualTo(Instant.parse("2026-11-24T14:30:00.500Z"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not json at all | not valid JSON",
        "[1,2] | expected a JSON object, got array",
        "{\"price\":1,\"size\":1,\"ts\":1} | field 'symbol': is missing",
        "{\"symbol\":\"A\",\"size\":1,\"ts\":1} | field 'price': is missing",
        "{\"symbol\":\"A\",\"price\":1,\"ts\":1} | field 'size': is missing",
        "{\"symbol\":\"A\",\"price\":1,\"size\":1} | field 'ts': is missing",
        "{\"symbol\":\"A\",\"price\":0,\"size\":1,\"ts\":1} | field 'price': must be greater than 0, got 0",
        "{\"symbol\":\"A\",\"price\":-2.5,\"size\":1,\"ts\":1} | field 'price': must be greater than 0",
        "{\"symbol\":\"A\",\"price\":\"1.5\",\"size\":1,\"ts\":1} | field 'price': must be a JSON number",
        "{\"symbol\":\"A\",\"price\":1.123456789,\"size\":1,\"ts\":1} | more than 8 decimal places",
        "{\"symbol\":\"A\",\"price\":1e12,\"size\":1,\"ts\":1} | must be less than 10^10",
        "{\"symbol\":\"A\",\"price\":1,\"size\":0,\"ts\":1} | field 'size': must be a whole number of at least 1",
        "{\"symbol\":\"A\",\"price\":1,\"size\":-5,\"ts\":1} | field 'size': must be a whole number of at least 1",
        "{\"symbol\":\"A\",\"price\":1,\"size\":1.5,\"ts\":1} | field 'size': must be a whole number, got 1.5",
        "{\"symbol\":\"A\",\"price\":1,\"size\":1000000000001,\"ts\":1} | field 'size': must be at most 1000000000000",
        "{\"symbol\":\"A\",\"price\":1,\"size\":1,\"ts\":\"2200-01-01T00:00:00Z\"} | field 'ts': 2200-01-01T00:00:00.000Z is outside the accepted range",
        "{\"symbol\":\"A\",\"price\":1,\"size\":1,\"ts\":-1} | is outside the accepted range",
        "{\"symbol\":\"A\",\"price\":1,\"size\":1,\"ts\":\"yesterday\"} | field 'ts': 'yesterday' is not an ISO-8601",
        "{\"symbol\":\"A\",\"price\":1,\"size\":1,\"ts\":true} | field 'ts': must be an ISO-8601 string or epoch",
        "{\"symbol\":\"1A\",\"price\":1,\"size\":1,\"ts\":1} | field 'symbol': '1A' is not a valid symbol",
        "{\"symbol\":\"\",\"price\":1,\"size\":1,\"ts\":1} | field 'symbol': symbol is missing or blank",
        "{\"symbol\":\"A\",\"price\":1,\"size\":1,\"ts\":1,\"qty\":3} | field 'qty': unknown field",
        "{\"symbol\":\"A\",\"symbol\":\"B\",\"price\":1,\"size\":1,\"ts\":1} | Duplicate field 'symbol'",
      })
  void rejectsWithAPreciseMessage(String json, String message) {
    assertThatThrownBy(() -> decode(json))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageContaining(message);
  }

  @Test
  void rejectsEmptyRecords() {
    assertThatThrownBy(() -> codec.decode(new byte[0], "x"))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageContaining("empty record");
  }

  @Test
  void ignoresUnknownFieldsWhenToldTo() {
    Trade t =
        new TradeCodec(UnknownFields.IGNORE)
            .decode(
                "{\"symbol\":\"A\",\"price\":1,\"size\":1,\"ts\":1,\"venue\":\"X\"}"
                    .getBytes(StandardCharsets.UTF_8),
                "f");
    assertThat(t.symbol()).isEqualTo("A");
  }
}
