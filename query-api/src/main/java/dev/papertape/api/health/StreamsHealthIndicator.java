package dev.papertape.api.health;

import dev.papertape.api.stream.Channel;
import dev.papertape.api.stream.ChannelConsumers;
import dev.papertape.api.stream.ConsumerStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * Live streams are healthy when every channel's consumer reads its topic. A consumer that failed is
 * DOWN until its restart has attached it again, so {@code /healthz}, {@code /actuator/health} and
 * readiness show it. Details per channel (for an authorised caller): state, partitions, failures so
 * far, the last failure, since when.
 */
@Component("streams")
public class StreamsHealthIndicator extends AbstractHealthIndicator {
  private final ChannelConsumers consumers;

  public StreamsHealthIndicator(ChannelConsumers consumers) {
    this.consumers = consumers;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    Map<Channel, ConsumerStatus> all = consumers.statuses();
    boolean up =
        all.size() == Channel.values().length
            && all.values().stream().allMatch(s -> s.state() == ConsumerStatus.State.UP);
    builder.status(up ? "UP" : "DOWN");
    all.forEach(
        (c, s) -> {
          Map<String, Object> d = new LinkedHashMap<>();
          d.put("state", s.state().name());
          d.put("partitions", s.partitions());
          d.put("failures", s.failures());
          if (s.lastFailure() != null) {
            d.put("lastFailure", s.lastFailure());
          }
          d.put("since", s.since().toString());
          builder.withDetail(c.label(), d);
        });
  }
}
