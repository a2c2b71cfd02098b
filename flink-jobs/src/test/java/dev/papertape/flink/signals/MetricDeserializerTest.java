package dev.papertape.flink.signals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.model.DeadLetter;
import dev.papertape.model.UnknownFields;
import dev.papertape.model.WindowMetrics;
import dev.papertape.model.WindowMetricsCodec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Any bytes become a metric or a dead letter with the reason; metrics from the future are refused.
 */
class MetricDeserializerTest {
  private static final Instant NOW = Instant.parse("2026-11-24T15:00:00Z");
  private static final MetricDeserializer DESERIALIZER =
      new MetricDeserializer(
          UnknownFields.REJECT, Duration.ofSeconds(5), Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void aValidMetricPasses() {
    WindowMetrics m = Metrics.m1("AAPL", 0, "189.5");
    ParsedMetric r = DESERIALIZER.parse("m", 0, 7, null, new WindowMetricsCodec().encode(m));
    assertThat(r.isValid()).isTrue();
    assertThat(r.metric).isEqualTo(m);
  }

  @Test
  void garbageAndFutureWindowsAreDeadLetters() {
    ParsedMetric garbage =
        DESERIALIZER.parse("m", 2, 9, "AAPL".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2});
    assertThat(garbage.isValid()).isFalse();
    DeadLetter d = garbage.rejected;
    assertThat(d.topic()).isEqualTo("m");
    assertThat(d.partition()).isEqualTo(2);
    assertThat(d.offset()).isEqualTo(9);
    assertThat(d.key()).isEqualTo("AAPL");
    assertThat(d.stage()).isEqualTo(DeadLetter.DECODE);
    assertThat(d.error()).isNotBlank();

    WindowMetrics future = Metrics.m1("AAPL", 60, "1"); // ends at 15:31, ahead of 15:00 + 5 s
    ParsedMetric r = DESERIALIZER.parse("m", 0, 1, null, new WindowMetricsCodec().encode(future));
    assertThat(r.isValid()).isFalse();
    assertThat(r.rejected.error()).contains("PAPERTAPE_MAX_CLOCK_SKEW");
  }
}
