package dev.papertape.api.config;

import dev.papertape.model.Timestamps;
import java.time.Instant;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * JSON of the API matches the Kafka data contracts: decimals as plain JSON numbers (never {@code
 * 1E-8}), timestamps as ISO-8601 UTC with milliseconds.
 */
@Configuration
public class JsonConfig {
  @Bean
  JsonMapperBuilderCustomizer papertapeJson() {
    SimpleModule contracts = new SimpleModule("papertape-contracts");
    contracts.addSerializer(
        Instant.class,
        new ValueSerializer<Instant>() {
          @Override
          public void serialize(Instant value, JsonGenerator gen, SerializationContext ctxt) {
            gen.writeString(Timestamps.format(value));
          }
        });
    return builder ->
        builder.enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).addModule(contracts);
  }
}
