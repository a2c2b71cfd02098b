package dev.papertape.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 12, "total decoding": records that once escaped the codecs as something other than {@link
 * InvalidRecordException} (or passed and then broke a sink), each pinned by its own test.
 */
class HostileRecordsTest {
  /** Longest rejection message any codec may produce, whatever the input. */
  static final int MAX_MESSAGE = 300;

  private static final String TS = "\"ts\":\"2026-01-01T00:00:00Z\"";

  private final TradeCodec trades = new TradeCodec();
  private final WindowMetricsCodec metrics = new WindowMetricsCodec();
  private final SignalCodec signals = new SignalCodec();

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private Trade trade(String json) {
    return trades.decode(utf8(json), "fallback");
  }

  /** Rejected with the one exception, a short printable message containing {@code fragment}. */
  static void assertRejected(ThrowingCallable decode, String fragment) {
    assertThatThrownBy(decode)
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageContaining(fragment)
        .satisfies(e -> assertShort(e.getMessage()));
  }

  static void assertShort(String message) {
    // plain checks first: the fuzz suite calls this thousands of times
    if (message == null
        || message.length() > MAX_MESSAGE
        || message.chars().anyMatch(c -> Character.isISOControl(c))) {
      assertThat(message)
          .as("a short message without control characters")
          .isNotNull()
          .hasSizeLessThanOrEqualTo(MAX_MESSAGE)
          .doesNotContainPattern("[\\x00-\\x1F\\x7F-\\x9F]");
    }
  }

  @Test
  void aPriceWithAHugeExponentIsRejectedNotFormatted() {
    assertRejected(
        () -> trade("{\"symbol\":\"AAPL\",\"price\":1e2147483647,\"size\":1," + TS + "}"),
        "field 'price': must be less than 10^10, got 1E+2147483647");
  }

  @Test
  void aPriceWithATinyExponentIsRejectedNotFormatted() {
    assertRejected(
        () -> trade("{\"symbol\":\"AAPL\",\"price\":1e-2147483647,\"size\":1," + TS + "}"),
        "field 'price': has more than 8 decimal places (1E-2147483647)");
  }

  @Test
  void aPriceWhoseCanonicalFormWouldOverflowTheScaleIsRejected() {
    assertRejected(
        () -> trade("{\"symbol\":\"AAPL\",\"price\":10e2147483647,\"size\":1," + TS + "}"),
        "field 'price': must be less than 10^10");
  }

  @Test
  void aSizeWithAHugeExponentIsRejectedNotFormatted() {
    assertRejected(
        () -> trade("{\"symbol\":\"AAPL\",\"price\":1,\"size\":1e2147483647," + TS + "}"),
        "field 'size': must be a whole number of at most 19 digits, got 1E+2147483647");
    assertRejected(
        () -> trade("{\"symbol\":\"AAPL\",\"price\":1,\"size\":1e-2147483647," + TS + "}"),
        "field 'size': must be a whole number, got 1E-2147483647");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1E+999999999999", "1e-99999999999", "-1E+2147483648", "1E-2147483649"})
  void anExponentBeyondTheIntRangeIsAnUnreadableNumberOfItsField(String number) {
    assertRejected(
        () -> trade("{\"symbol\":\"AAPL\",\"price\":" + number + ",\"size\":1," + TS + "}"),
        "field 'price': not valid JSON: the number's exponent is out of range at line 1, column");
    assertRejected(
        () -> trade("{\"symbol\":\"AAPL\",\"price\":1,\"size\":" + number + "," + TS + "}"),
        "field 'size': not valid JSON: the number's exponent is out of range");
  }

  @Test
  void anExponentWithinTheIntRangeIsRangeChecked() {
    assertRejected(
        () -> trade("{\"symbol\":\"AAPL\",\"price\":1E+999999999,\"size\":1," + TS + "}"),
        "field 'price': must be less than 10^10, got 1E+999999999");
  }

  @Test
  void numbersOfManyDigitsAreRejectedByTheParser() {
    assertRejected(
        () ->
            trade(
                "{\"symbol\":\"AAPL\",\"price\":1" + "0".repeat(5000) + ",\"size\":1," + TS + "}"),
        "not valid JSON: Number value length");
  }

  @Test
  void deepNestingIsRejectedEarly() {
    assertRejected(() -> trade("[".repeat(20_000)), "not valid JSON: Document nesting depth");
    assertRejected(
        () ->
            new TradeCodec(UnknownFields.IGNORE)
                .decode(
                    utf8(
                        "{\"symbol\":\"A\",\"price\":1,\"size\":1,"
                            + TS
                            + ",\"x\":"
                            + "[".repeat(100)
                            + "]".repeat(100)
                            + "}"),
                    "f"),
        "not valid JSON: Document nesting depth");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\\u0000", "\\u001f", "\\u007f", "\\u0085", "\\t", "\\n", "\\ud800"})
  void aTradeIdWithAControlCharacterOrALoneSurrogateIsRejected(String escape) {
    assertRejected(
        () ->
            trade(
                "{\"symbol\":\"AAPL\",\"price\":1,\"size\":1,"
                    + TS
                    + ",\"tradeId\":\"a"
                    + escape
                    + "b\"}"),
        "field 'tradeId': must not contain");
  }

  @Test
  void aSourceWithNulIsRejectedAndAPairedSurrogateIsFine() {
    assertRejected(
        () ->
            trade("{\"symbol\":\"AAPL\",\"price\":1,\"size\":1," + TS + ",\"source\":\"\\u0000\"}"),
        "field 'source': must not contain the control character U+0000");
    Trade ok =
        trade(
            "{\"symbol\":\"AAPL\",\"price\":1,\"size\":1,"
                + TS
                + ",\"tradeId\":\"caf\\u00e9-\\ud83d\\ude00\"}");
    assertThat(ok.tradeId()).isEqualTo("café-\uD83D\uDE00");
  }

  @Test
  void anInvalidRecordCannotBeConstructed() {
    Instant ts = Instant.parse("2026-01-01T00:00:00Z");
    assertRejected(
        () -> new Trade("AAPL", BigDecimal.ONE, 1, ts, "a\u0000", "sim"), "field 'tradeId'");
    assertRejected(() -> new Trade("AAPL", BigDecimal.ONE, 1, null, "a", "sim"), "field 'ts'");
    assertRejected(
        () ->
            new Signal("s\u0000", Signal.Kind.ALERT, "AAPL", "rule", null, BigDecimal.ONE, "r", ts),
        "field 'id'");
    assertRejected(
        () ->
            new Signal(
                "s", Signal.Kind.ALERT, "AAPL", "rule", null, BigDecimal.ONE, "r\u2028x", ts),
        "field 'reason'");
  }

  @Test
  void aSymbolWithControlCharactersOrOfHugeLengthIsRejectedShortly() {
    assertRejected(
        () -> trade("{\"symbol\":\"AAPL\\u0000\",\"price\":1,\"size\":1," + TS + "}"),
        "field 'symbol': 'AAPL\\u0000' is not a valid symbol");
    assertRejected(
        () ->
            trade("{\"symbol\":\"" + "A".repeat(60_000) + "\",\"price\":1,\"size\":1," + TS + "}"),
        "field 'symbol': 'AAAAAAAA");
  }

  @Test
  void epochMillisAtTheEndsOfLongAreOutOfRangeWithAShortMessage() {
    assertRejected(
        () -> trade("{\"symbol\":\"AAPL\",\"price\":1,\"size\":1,\"ts\":" + Long.MAX_VALUE + "}"),
        "field 'ts': +292278994-08-17T07:12:55.807Z is outside the accepted range");
    assertRejected(
        () -> trade("{\"symbol\":\"AAPL\",\"price\":1,\"size\":1,\"ts\":" + Long.MIN_VALUE + "}"),
        "is outside the accepted range");
    assertRejected(
        () -> trade("{\"symbol\":\"AAPL\",\"price\":1,\"size\":1,\"ts\":1" + "0".repeat(40) + "}"),
        "field 'ts': must be an ISO-8601 string or epoch milliseconds, got the number 1E+40");
  }

  @Test
  void isoTimesAtTheEndsOfTheCalendarAreOutOfRangeWithAShortMessage() {
    assertRejected(
        () ->
            trade(
                "{\"symbol\":\"AAPL\",\"price\":1,\"size\":1,"
                    + "\"ts\":\"+999999999-12-31T23:59:59.999-18:00\"}"),
        "field 'ts': +1000000000-01-01T17:59:59.999Z is outside the accepted range");
    assertRejected(
        () ->
            trade(
                "{\"symbol\":\"AAPL\",\"price\":1,\"size\":1,"
                    + "\"ts\":\"-999999999-01-01T00:00:00+18:00\"}"),
        "is outside the accepted range");
  }

  @Test
  void aHugeTimestampTextIsQuotedByItsPrefixOnly() {
    assertRejected(
        () ->
            trade(
                "{\"symbol\":\"AAPL\",\"price\":1,\"size\":1,\"ts\":\""
                    + "2".repeat(64 * 1024 - 100)
                    + "\"}"),
        "field 'ts': '2222222222");
  }

  @Test
  void wrongTypesAreDescribedNotPrinted() {
    String bigArray = "[" + "1,".repeat(20_000) + "1]";
    assertRejected(
        () -> trade("{\"symbol\":\"AAPL\",\"price\":" + bigArray + ",\"size\":1," + TS + "}"),
        "field 'price': must be a JSON number, got an array");
    assertRejected(
        () -> trade("{\"symbol\":{\"a\":" + bigArray + "},\"price\":1,\"size\":1," + TS + "}"),
        "field 'symbol': must be a string, got an object");
    assertRejected(
        () -> trade("{\"symbol\":\"AAPL\",\"price\":\"1.5\",\"size\":1," + TS + "}"),
        "field 'price': must be a JSON number, got the string '1.5'");
  }

  @Test
  void hugeUnknownAndDuplicateFieldNamesAreQuotedByTheirPrefixOnly() {
    String name = "q".repeat(30_000);
    assertRejected(
        () -> trade("{\"symbol\":\"AAPL\",\"price\":1,\"size\":1," + TS + ",\"" + name + "\":1}"),
        "field 'qqqqq");
    assertRejected(
        () -> trade("{\"" + name + "\":1,\"" + name + "\":2}"), "Duplicate field 'qqqqq");
  }

  @Test
  void trailingContentAfterTheObjectIsRejected() {
    assertRejected(
        () -> trade("{\"symbol\":\"AAPL\",\"price\":1,\"size\":1," + TS + "} {\"x\":1}"),
        "not valid JSON");
  }

  @Test
  void windowMetricsNumbersAreRangeCheckedToo() {
    String m =
        "{\"symbol\":\"TSLA\",\"window\":\"1m\",\"windowStart\":\"2026-11-24T14:30:00Z\","
            + "\"windowEnd\":\"2026-11-24T14:31:00Z\",\"open\":OPEN,\"high\":251,"
            + "\"low\":249.99,\"close\":250.5,\"volume\":1200,\"vwap\":250.33333333,"
            + "\"tradeCount\":12,\"priceRange\":1.01}";
    assertRejected(
        () -> metrics.decode(utf8(m.replace("OPEN", "1e2147483647"))),
        "field 'open': must be less than 10^10");
    assertRejected(
        () -> metrics.decode(utf8(m.replace("OPEN", "1e-2147483647"))),
        "field 'open': has more than 8 decimal places");
    assertRejected(
        () ->
            metrics.decode(
                utf8(m.replace("OPEN", "250").replace("\"priceRange\":1.01", "\"priceRange\":-1"))),
        "field 'priceRange': must be at least 0");
    assertRejected(
        () -> metrics.decode(utf8(m.replace("OPEN", "250").replace("31:00Z", "29:00Z"))),
        "field 'windowEnd'");
    assertRejected(
        () -> metrics.decode(utf8(m.replace("OPEN", "250").replace("\"1m\"", "\"1m\\u0000\""))),
        "field 'window': '1m\\u0000' is not a window");
  }

  @Test
  void signalTextAndNumbersAreCheckedToo() {
    String s =
        "{\"id\":\"ID\",\"kind\":\"SIGNAL\",\"symbol\":\"AAPL\",\"source\":\"vwap\","
            + "\"side\":\"BUY\",\"price\":PRICE,\"reason\":\"why\",\"ts\":\"2026-01-05T14:31:00Z\"}";
    assertRejected(
        () -> signals.decode(utf8(s.replace("ID", "x\\u0000").replace("PRICE", "1"))),
        "field 'id': must not contain the control character U+0000");
    assertRejected(
        () -> signals.decode(utf8(s.replace("ID", "x").replace("PRICE", "1e2147483647"))),
        "field 'price': must be less than 10^10");
    assertRejected(
        () ->
            signals.decode(
                utf8(s.replace("ID", "x").replace("PRICE", "1").replace("BUY", "B".repeat(9000)))),
        "field 'side': 'BBBBB");
    assertRejected(
        () ->
            signals.decode(
                utf8(
                    s.replace("ID", "x")
                        .replace("PRICE", "1")
                        .replace("SIGNAL", "S\\u0000".repeat(9000)))),
        "field 'kind': 'S\\u0000S");
  }
}
