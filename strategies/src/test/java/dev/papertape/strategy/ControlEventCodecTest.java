package dev.papertape.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.MetricWindow;
import dev.papertape.model.UnknownFields;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControlEventCodecTest {
  private final ControlEventCodec codec = new ControlEventCodec();

  static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  ControlEvent decode(String s) {
    return codec.decode(json(s));
  }

  static ControlEvent.ActivateStrategy vwapTsla() {
    return new ControlEvent.ActivateStrategy(
        "vwap-tsla",
        "vwap-deviation",
        Map.of("thresholdPct", "0.50"),
        List.of("tsla"),
        true,
        new Sizing(Sizing.Mode.QUANTITY, BigDecimal.TEN),
        "alice");
  }

  @Test
  void activationIsWrittenInTheContractForm() {
    assertThat(new String(codec.encode(vwapTsla()), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"type\":\"strategy\",\"id\":\"vwap-tsla\",\"active\":true,"
                + "\"strategy\":\"vwap-deviation\",\"params\":{\"lookback\":\"20\","
                + "\"thresholdPct\":\"0.5\",\"window\":\"1m\"},\"symbols\":[\"TSLA\"],"
                + "\"autoExecute\":true,\"sizing\":{\"mode\":\"quantity\",\"value\":10},"
                + "\"owner\":\"alice\"}");
    assertThat(vwapTsla().key()).isEqualTo("strategy/vwap-tsla");
  }

  @Test
  void everyKindRoundTrips() {
    AlertRule rule =
        new AlertRule(
            "aapl-200",
            "AAPL",
            AlertRule.Field.PRICE,
            AlertRule.Op.GREATER,
            new BigDecimal("200.00"),
            MetricWindow.M5);
    List<ControlEvent> events =
        List.of(
            vwapTsla(),
            new ControlEvent.ActivateStrategy(
                "ma", "ma-crossover", Map.of(), List.of(), false, null, null),
            new ControlEvent.DeactivateStrategy("vwap-tsla"),
            new ControlEvent.AddAlertRule(rule, null),
            new ControlEvent.RemoveAlertRule("aapl-200"));
    for (ControlEvent e : events) {
      assertThat(codec.decode(codec.encode(e))).isEqualTo(e);
      assertThat(codec.decode(e.key(), codec.encode(e))).isEqualTo(e);
    }
    assertThat(
            new String(
                codec.encode(new ControlEvent.AddAlertRule(rule, "bob")), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"type\":\"alert-rule\",\"id\":\"aapl-200\",\"active\":true,\"symbol\":\"AAPL\","
                + "\"field\":\"price\",\"op\":\">\",\"threshold\":200,\"window\":\"5m\","
                + "\"owner\":\"bob\"}");
  }

  @Test
  void inputDefaultsAndNumbers() {
    ControlEvent e =
        decode(
            "{\"type\":\"strategy\",\"id\":\"v\",\"strategy\":\"volume-spike\","
                + "\"params\":{\"lookback\":10.0,\"multiplier\":2.50},\"symbols\":\"all\"}");
    assertThat(e)
        .isEqualTo(
            new ControlEvent.ActivateStrategy(
                "v",
                "volume-spike",
                Map.of("lookback", "10", "multiplier", "2.5", "window", "1m"),
                List.of(),
                false,
                null,
                null));
    ControlEvent.ActivateStrategy a = (ControlEvent.ActivateStrategy) e;
    assertThat(a.appliesTo("ANY")).isTrue();
    assertThat(a.create().fingerprint())
        .isEqualTo("volume-spike{lookback=10,multiplier=2.5,window=1m}");
    ControlEvent r =
        decode(
            "{\"type\":\"alert-rule\",\"id\":\"r\",\"symbol\":\"aapl\",\"field\":\"changePct\","
                + "\"op\":\"crosses_below\",\"threshold\":-2.5}");
    assertThat(((ControlEvent.AddAlertRule) r).rule())
        .isEqualTo(
            new AlertRule(
                "r",
                "AAPL",
                AlertRule.Field.CHANGE_PCT,
                AlertRule.Op.CROSSES_BELOW,
                new BigDecimal("-2.5"),
                MetricWindow.M1));
  }

  @Test
  void tombstonesFollowTheKey() {
    assertThat(codec.decode("strategy/vwap-tsla", null))
        .isEqualTo(new ControlEvent.DeactivateStrategy("vwap-tsla"));
    assertThat(codec.decode("alert-rule/aapl-200", null))
        .isEqualTo(new ControlEvent.RemoveAlertRule("aapl-200"));
    assertRejected(() -> codec.decode("vwap-tsla", null), "key");
    assertRejected(() -> codec.decode(null, null), "key");
    assertRejected(() -> codec.decode("strategy/bad id", null), "id");
    assertRejected(() -> codec.decode("alert-rule/vwap-tsla", codec.encode(vwapTsla())), "key");
  }

  @Test
  void badEventsNameTheField() {
    assertRejected(() -> decode("{\"type\":\"rule\",\"id\":\"x\"}"), "type");
    assertRejected(() -> decode("{\"id\":\"x\"}"), "type");
    assertRejected(() -> decode("{\"type\":\"strategy\",\"active\":false}"), "id");
    assertRejected(
        () -> decode("{\"type\":\"strategy\",\"id\":\"x\",\"active\":false,\"strategy\":\"m\"}"),
        "strategy");
    assertRejected(
        () -> decode("{\"type\":\"strategy\",\"id\":\"x\",\"active\":\"no\"}"), "active");
    String base = "{\"type\":\"strategy\",\"id\":\"x\",\"symbols\":[\"TSLA\"],";
    assertRejected(() -> decode(base + "\"strategy\":\"rsi\"}"), "strategy");
    assertRejected(
        () -> decode(base + "\"strategy\":\"ma-crossover\",\"params\":{\"fast\":30}}"),
        "params.slow");
    assertRejected(
        () -> decode(base + "\"strategy\":\"ma-crossover\",\"params\":{\"fats\":3}}"),
        "params.fats");
    assertRejected(
        () -> decode(base + "\"strategy\":\"ma-crossover\",\"params\":{\"fast\":true}}"),
        "params.fast");
    assertRejected(
        () -> decode(base + "\"strategy\":\"ma-crossover\",\"params\":{\"fast\":1e999999999}}"),
        "params.fast");
    assertRejected(() -> decode(base + "\"strategy\":\"ma-crossover\",\"params\":[]}"), "params");
    assertRejected(
        () -> decode(base + "\"strategy\":\"ma-crossover\",\"autoExecute\":true}"), "sizing");
    assertRejected(
        () ->
            decode(
                base
                    + "\"strategy\":\"ma-crossover\",\"autoExecute\":true,"
                    + "\"sizing\":{\"mode\":\"all-in\",\"value\":1}}"),
        "sizing.mode");
    assertRejected(
        () ->
            decode(
                base
                    + "\"strategy\":\"ma-crossover\",\"sizing\":{\"mode\":\"quantity\",\"value\":1.5}}"),
        "sizing.value");
    assertRejected(
        () ->
            decode(
                base
                    + "\"strategy\":\"ma-crossover\",\"sizing\":{\"mode\":\"percentOfCash\","
                    + "\"value\":101}}"),
        "sizing.value");
    assertRejected(() -> decode(base + "\"strategy\":\"ma-crossover\",\"colour\":1}"), "colour");
    String noSymbols = "{\"type\":\"strategy\",\"id\":\"x\",\"strategy\":\"ma-crossover\",";
    assertRejected(() -> decode(noSymbols + "\"symbols\":[]}"), "symbols");
    assertRejected(() -> decode(noSymbols + "\"symbols\":\"ALL\"}"), "symbols");
    assertRejected(() -> decode(noSymbols + "\"symbols\":[\"1X\"]}"), "symbols");
    assertRejected(() -> decode(noSymbols + "\"symbols\":[1]}"), "symbols");
    assertRejected(
        () -> decode(noSymbols.replace("\"x\"", "\"a b\"") + "\"symbols\":\"all\"}"), "id");
    String rule = "{\"type\":\"alert-rule\",\"id\":\"r\",\"symbol\":\"AAPL\",";
    assertRejected(
        () -> decode(rule + "\"field\":\"price\",\"op\":\">\",\"threshold\":\"200\"}"),
        "threshold");
    assertRejected(
        () -> decode(rule + "\"field\":\"price\",\"op\":\">=\",\"threshold\":200}"), "op");
    assertRejected(
        () -> decode(rule + "\"field\":\"close\",\"op\":\">\",\"threshold\":200}"), "field");
    assertRejected(
        () ->
            decode(rule + "\"field\":\"price\",\"op\":\">\",\"threshold\":200,\"window\":\"2m\"}"),
        "window");
    assertRejected(
        () -> decode(rule + "\"field\":\"price\",\"op\":\">\",\"threshold\":-1}"), "threshold");
    assertRejected(() -> decode("[]"), null);
    assertRejected(() -> decode("{\"type\":\"strategy\",\"type\":\"strategy\"}"), null);
  }

  @Test
  void unknownFieldsMayBeIgnored() {
    ControlEventCodec lenient = new ControlEventCodec(UnknownFields.IGNORE);
    assertThat(
            lenient.decode(json("{\"type\":\"strategy\",\"id\":\"x\",\"active\":false,\"by\":1}")))
        .isEqualTo(new ControlEvent.DeactivateStrategy("x"));
  }

  @Test
  void aBadParameterIsAnInvalidParameterException() {
    assertThatThrownBy(
            () ->
                decode(
                    "{\"type\":\"strategy\",\"id\":\"x\",\"symbols\":\"all\","
                        + "\"strategy\":\"vwap-deviation\",\"params\":{\"lookback\":\"0\"}}"))
        .isInstanceOfSatisfying(
            InvalidParameterException.class,
            e -> {
              assertThat(e.parameter()).isEqualTo("lookback");
              assertThat(e.getMessage())
                  .isEqualTo("field 'params.lookback': must be an integer from 1 to 1000, got '0'");
            });
  }

  static void assertRejected(Runnable r, String field) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(
            InvalidRecordException.class,
            e -> assertThat(e.field()).as(e.getMessage()).isEqualTo(field));
  }
}
