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
 * papertape_stream_events_dropped_total} (oldest events dropped for slow clients) and {@code
 * papertape_stream_records_invalid_total} (Kafka records that could not be read).
 */
@Component
public class StreamMetrics {
  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> clients = new ConcurrentHashMap<>();
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

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

  public void invalid(Channel c) {
    counter("papertape.stream.records.invalid", c, "kafka").increment();
  }
}
