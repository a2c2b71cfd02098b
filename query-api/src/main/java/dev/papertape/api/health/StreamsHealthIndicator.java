package dev.papertape.api.health;

import dev.papertape.api.stream.Channel;
import dev.papertape.api.stream.ChannelConsumers;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/** Live streams are healthy when every channel's consumer reads its topic. */
@Component("streams")
public class StreamsHealthIndicator extends AbstractHealthIndicator {
  private final ChannelConsumers consumers;

  public StreamsHealthIndicator(ChannelConsumers consumers) {
    this.consumers = consumers;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    Map<Channel, Integer> a = consumers.assignments();
    boolean up = a.size() == Channel.values().length && a.values().stream().allMatch(n -> n > 0);
    builder.status(up ? "UP" : "DOWN");
    a.forEach((c, n) -> builder.withDetail(c.label(), n + " partitions"));
  }
}
