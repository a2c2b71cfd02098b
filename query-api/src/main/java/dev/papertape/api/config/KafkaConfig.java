package dev.papertape.api.config;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One shared Kafka admin client for the process (health, topic checks). */
@Configuration
@EnableConfigurationProperties(PapertapeKafkaProperties.class)
public class KafkaConfig {
  @Bean(destroyMethod = "close")
  Admin kafkaAdmin(PapertapeKafkaProperties props) {
    int timeoutMs = (int) props.healthTimeout().toMillis();
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            props.bootstrap(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            timeoutMs,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            timeoutMs,
            AdminClientConfig.CLIENT_ID_CONFIG,
            "papertape-query-api-admin"));
  }
}
