package dev.papertape.api.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Stream meters on {@code /actuator/prometheus}: {@code papertape_stream_clients} (connected, per
 * channel and transport), {@code papertape_stream_events_sent_total}, {@code
 * papertape_stream_events_dropped_total} (oldest events dropped for slow clients), {@code
 * papertape_stream_records_invalid_total} (Kafka records skipped, by {@code reason}: {@code
 * invalid} = rejected by the codec, {@code future} = a trade dated beyond the allowed clock skew,
 * {@code error} = any other failure while reading or publishing it), {@code
 * papertape_stream_consumer_failures_total} (a channel's consumer failed and is restarted) and
 * {@code papertape_stream_consumer_up} (1 while a channel's consumer reads its topic, else 0).
 */
@Component
public class StreamMetrics {
  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> clients = new ConcurrentHashMap<>();
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<Channel, AtomicInteger> consumersUp = new ConcurrentHashMap<>();

  public StreamMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  private AtomicInteger clientsGauge(Channel c, String transport) {
    return clients.computeIfAbsent(
        c.label() + "/" + transport,
        k ->
            registry.gauge(
                "papertape.stream.clients",
                io.micrometer.core.instrument.Tags.of("channel", c.label(), "transport", transport),
                new AtomicInteger()));
  }

  private Counter counter(String name, Channel c, String transport) {
    return counters.computeIfAbsent(
        name + "/" + c.label() + "/" + transport,
        k ->
            Counter.builder(name)
                .tag("channel", c.label())
                .tag("transport", transport)
                .register(registry));
  }

  public void connected(Channel c, String transport) {
    clientsGauge(c, transport).incrementAndGet();
  }

  public void disconnected(Channel c, String transport) {
    clientsGauge(c, transport).decrementAndGet();
  }

  public int clients(Channel c, String transport) {
    return clientsGauge(c, transport).get();
  }

  public void sent(Channel c, String transport) {
    counter("papertape.stream.events.sent", c, transport).increment();
  }

  public void dropped(Channel c, String transport) {
    counter("papertape.stream.events.dropped", c, transport).increment();
  }

  public double droppedCount(Channel c, String transport) {
    return counter("papertape.stream.events.dropped", c, transport).count();
  }

  /**
   * A Kafka record of channel {@code c} was skipped: {@code invalid}, {@code future} or {@code
   * error}.
   */
  public void invalid(Channel c, String reason) {
    counters
        .computeIfAbsent(
            "papertape.stream.records.invalid/" + c.label() + "/" + reason,
            k ->
                Counter.builder("papertape.stream.records.invalid")
                    .description("Kafka records of a channel skipped, by reason")
                    .tag("channel", c.label())
                    .tag("transport", "kafka")
                    .tag("reason", reason)
                    .register(registry))
        .increment();
  }

  /** The consumer of channel {@code c} failed (it is restarted after a back-off). */
  public void consumerFailed(Channel c) {
    counters
        .computeIfAbsent(
            "papertape.stream.consumer.failures/" + c.label(),
            k ->
                Counter.builder("papertape.stream.consumer.failures")
                    .description("Failures of a channel's Kafka consumer (each is restarted)")
                    .tag("channel", c.label())
                    .register(registry))
        .increment();
  }

  /** Whether the consumer of channel {@code c} reads its topic now. */
  public void consumerUp(Channel c, boolean up) {
    consumersUp
        .computeIfAbsent(
            c,
            k ->
                registry.gauge(
                    "papertape.stream.consumer.up",
                    io.micrometer.core.instrument.Tags.of("channel", c.label()),
                    new AtomicInteger()))
        .set(up ? 1 : 0);
  }
}
