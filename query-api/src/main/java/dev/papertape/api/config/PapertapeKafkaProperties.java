package dev.papertape.api.config;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Kafka settings of the API ({@code PAPERTAPE_KAFKA_BOOTSTRAP}), validated at start.
 *
 * @param bootstrap bootstrap servers, e.g. {@code localhost:9092}
 * @param healthTimeout how long the health check waits for the broker
 */
@Validated
@ConfigurationProperties("papertape.kafka")
public record PapertapeKafkaProperties(
    @NotBlank String bootstrap, @NotNull Duration healthTimeout) {}
