package dev.papertape.flink.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.papertape.config.Settings;
import dev.papertape.kafka.TopicSpec;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Defaults, the topics the job creates, and a bad setting named. */
class SignalsJobConfigTest {
  @Test
  void defaultsAndTopics() {
    SignalsJobConfig cfg = SignalsJobConfig.from(new Settings(Map.of()));
    assertThat(cfg.metricsTopic()).isEqualTo("aggregated-metrics");
    assertThat(cfg.controlTopic()).isEqualTo("strategy-control");
    assertThat(cfg.controlDeadLetterTopic()).isEqualTo("strategy-control-dlq");
    assertThat(cfg.metricsDeadLetterTopic()).isEqualTo("aggregated-metrics-dlq");
    assertThat(cfg.signalsTopic()).isEqualTo("price-alerts");
    assertThat(cfg.consumerGroup()).isEqualTo("papertape-signals");
    assertThat(cfg.priceDrop()).isNotNull();
    Map<String, TopicSpec> topics =
        cfg.topics().stream().collect(Collectors.toMap(TopicSpec::name, t -> t));
    assertThat(topics.keySet())
        .containsExactlyInAnyOrder(
            "aggregated-metrics",
            "price-alerts",
            "strategy-control",
            "strategy-control-dlq",
            "aggregated-metrics-dlq");
    assertThat(topics.get("strategy-control").configs()).containsEntry("cleanup.policy", "compact");
    assertThat(topics.get("strategy-control").partitions()).isEqualTo(1);
    assertThat(topics.get("price-alerts").configs()).containsEntry("cleanup.policy", "delete");
    assertThat(cfg.describe()).doesNotContain("password");
  }

  @Test
  void aBadSettingIsNamed() {
    assertThatThrownBy(
            () ->
                SignalsJobConfig.from(
                    new Settings(Map.of("PAPERTAPE_KAFKA_DELIVERY", "sometimes"))))
        .hasMessageContaining("PAPERTAPE_KAFKA_DELIVERY");
  }
}
