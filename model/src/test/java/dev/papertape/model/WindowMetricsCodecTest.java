package dev.papertape.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WindowMetricsCodecTest {
  private final WindowMetricsCodec codec = new WindowMetricsCodec();

  @Test
  void roundTripsTheContract() {
    WindowMetrics m =
        new WindowMetrics(
            "TSLA",
            MetricWindow.M1,
            Instant.parse("2026-11-24T14:30:00Z"),
            Instant.parse("2026-11-24T14:31:00Z"),
            new BigDecimal("250.1"),
            new BigDecimal("251"),
            new BigDecimal("249.99"),
            new BigDecimal("250.5"),
            1200,
            new BigDecimal("250.33333333"),
            12,
            new BigDecimal("1.01"));
    String json = new String(codec.encode(m), StandardCharsets.UTF_8);
    assertThat(json)
        .isEqualTo(
            "{\"symbol\":\"TSLA\",\"window\":\"1m\",\"windowStart\":\"2026-11-24T14:30:00.000Z\","
                + "\"windowEnd\":\"2026-11-24T14:31:00.000Z\",\"open\":250.1,\"high\":251,"
                + "\"low\":249.99,\"close\":250.5,\"volume\":1200,\"vwap\":250.33333333,"
                + "\"tradeCount\":12,\"priceRange\":1.01}");
    assertThat(codec.decode(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(m);
  }

  @Test
  void windowLabelsParseStrictly() {
    assertThat(MetricWindow.parse("5m")).isEqualTo(MetricWindow.M5);
    assertThatThrownBy(() -> MetricWindow.parse("2m"))
        .hasMessageContaining("'2m' is not a window; accepted: 1s, 1m, 5m, 1h, 1d");
  }
}
