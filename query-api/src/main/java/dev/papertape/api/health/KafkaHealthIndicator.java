package dev.papertape.api.health;

import dev.papertape.api.config.PapertapeKafkaProperties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Kafka is healthy when the broker answers a describe-cluster request in time. */
@Component("kafka")
public class KafkaHealthIndicator extends AbstractReactiveHealthIndicator {
  private final Admin admin;
  private final PapertapeKafkaProperties props;

  public KafkaHealthIndicator(Admin admin, PapertapeKafkaProperties props) {
    super("Kafka health check failed: is the broker at PAPERTAPE_KAFKA_BOOTSTRAP running?");
    this.admin = admin;
    this.props = props;
  }

  @Override
  protected Mono<Health> doHealthCheck(Health.Builder builder) {
    DescribeClusterResult cluster = admin.describeCluster();
    return Mono.fromFuture(cluster.clusterId().toCompletionStage().toCompletableFuture())
        .zipWith(Mono.fromFuture(cluster.nodes().toCompletionStage().toCompletableFuture()))
        .timeout(props.healthTimeout())
        .map(
            t ->
                builder
                    .up()
                    .withDetail("bootstrap", props.bootstrap())
                    .withDetail("clusterId", t.getT1())
                    .withDetail("brokers", t.getT2().size())
                    .build());
  }
}
