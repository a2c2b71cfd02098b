package dev.papertape.api.config;

import jakarta.validation.constraints.NotNull;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How far ahead of this process's clock an event time may be, validated at start.
 *
 * @param maxSkew {@code PAPERTAPE_MAX_CLOCK_SKEW} (0 to 1d, default 5s): a trade dated further
 *     ahead is from the future, and never becomes a latest price; the same setting makes the
 *     metrics job send such trades to its dead-letter topic
 */
@Validated
@ConfigurationProperties("papertape.clock")
public record ClockProperties(
    @NotNull @DurationMin(millis = 0) @DurationMax(days = 1) Duration maxSkew) {

  /** The latest event time accepted now: {@code clock}'s now plus the allowed skew. */
  public Instant horizon(Clock clock) {
    return clock.instant().plus(maxSkew);
  }
}
