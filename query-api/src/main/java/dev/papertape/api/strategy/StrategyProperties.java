package dev.papertape.api.strategy;

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
 * Strategies, alert rules and auto-execution, validated at start.
 *
 * @param controlTopic the compacted topic the signals job reads ({@code PAPERTAPE_CONTROL_TOPIC})
 * @param publishTimeout longest wait for Kafka's acknowledgement of a control event; beyond it the
 *     write answers 503 {@code control-unavailable} and the row stays pending ({@code
 *     PAPERTAPE_CONTROL_PUBLISH_TIMEOUT})
 * @param republishInterval how often pending rows are published again ({@code
 *     PAPERTAPE_CONTROL_REPUBLISH_INTERVAL})
 * @param republishDelay how long after start the first (full) republish runs ({@code
 *     PAPERTAPE_CONTROL_REPUBLISH_DELAY})
 * @param maxActive active strategy instances per user, and (×4) active alert rules ({@code
 *     PAPERTAPE_MAX_STRATEGIES})
 * @param autoExecute whether this instance places the orders of auto-executed signals ({@code
 *     PAPERTAPE_AUTO_EXECUTE}); every instance may, each signal trades once
 * @param maxSignalAge a signal older than this (by its {@code ts}) when it arrives is not traded
 *     ({@code PAPERTAPE_AUTO_EXECUTE_MAX_SIGNAL_AGE})
 * @param catchUpInterval how often the signals stored while no instance traded them are
 *     auto-executed ({@code PAPERTAPE_AUTO_EXECUTE_CATCH_UP_INTERVAL}; 0 = never)
 */
@Validated
@ConfigurationProperties("papertape.strategies")
public record StrategyProperties(
    @NotBlank String controlTopic,
    @NotNull @DurationMin(millis = 100) @DurationMax(minutes = 1) Duration publishTimeout,
    @NotNull @DurationMin(millis = 100) @DurationMax(hours = 1) Duration republishInterval,
    @NotNull @DurationMax(hours = 1) Duration republishDelay,
    @Min(1) @Max(10_000) int maxActive,
    boolean autoExecute,
    @NotNull @DurationMin(seconds = 1) @DurationMax(days = 7) Duration maxSignalAge,
    @NotNull @DurationMin(millis = 0) @DurationMax(hours = 1) Duration catchUpInterval) {}
