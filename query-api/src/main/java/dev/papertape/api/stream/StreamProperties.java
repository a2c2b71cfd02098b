package dev.papertape.api.stream;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Live stream settings.
 *
 * @param tradesTopic topic of the {@code trades} channel ({@code PAPERTAPE_TRADES_TOPIC})
 * @param metricsTopic topic of the {@code metrics} channel ({@code PAPERTAPE_METRICS_TOPIC})
 * @param signalsTopic topic of the {@code signals} channel ({@code PAPERTAPE_SIGNALS_TOPIC})
 * @param clientBuffer events buffered per client; when a slow client's buffer is full its oldest
 *     events are dropped ({@code PAPERTAPE_STREAM_CLIENT_BUFFER})
 * @param replay events kept per channel for {@code Last-Event-ID} resume ({@code
 *     PAPERTAPE_STREAM_REPLAY})
 * @param heartbeat interval of SSE heartbeat comments ({@code PAPERTAPE_STREAM_HEARTBEAT})
 * @param partitions partitions of the topics when the API is the first to create them ({@code
 *     PAPERTAPE_TRADES_PARTITIONS})
 * @param retentionDays their retention ({@code PAPERTAPE_TOPIC_RETENTION_DAYS})
 * @param restartBackoff first delay before a failed channel consumer is restarted; it doubles with
 *     each failure in a row ({@code PAPERTAPE_STREAM_RESTART_BACKOFF})
 * @param restartBackoffMax the longest such delay ({@code PAPERTAPE_STREAM_RESTART_BACKOFF_MAX})
 */
@Validated
@ConfigurationProperties("papertape.stream")
public record StreamProperties(
    @NotBlank String tradesTopic,
    @NotBlank String metricsTopic,
    @NotBlank String signalsTopic,
    @Min(16) @Max(1_000_000) int clientBuffer,
    @Min(0) @Max(1_000_000) int replay,
    @NotNull Duration heartbeat,
    @Min(1) @Max(1024) int partitions,
    @Min(1) @Max(36500) int retentionDays,
    @NotNull @DurationMin(millis = 10) @DurationMax(hours = 1) Duration restartBackoff,
    @NotNull @DurationMin(millis = 10) @DurationMax(hours = 1) Duration restartBackoffMax) {

  public String topic(Channel c) {
    return switch (c) {
      case TRADES -> tradesTopic;
      case METRICS -> metricsTopic;
      case SIGNALS -> signalsTopic;
    };
  }
}
