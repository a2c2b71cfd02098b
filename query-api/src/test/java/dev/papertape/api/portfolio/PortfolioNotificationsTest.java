package dev.papertape.api.portfolio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.api.portfolio.matching.PortfolioEvents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The wire format between instances: every event kind survives the trip exactly (BigDecimal scales,
 * instants), an instance skips its own payloads, and bad payloads are counted, never thrown.
 */
class PortfolioNotificationsTest {
  final JsonMapper json =
      JsonMapper.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final PortfolioEvents events = new PortfolioEvents();
  final PortfolioNotifications relay =
      new PortfolioNotifications(events, null, null, json, registry);

  static final Instant AT = Instant.parse("2026-11-25T10:15:30.123Z");

  static Views.Order order() {
    return new Views.Order(
        UUID.randomUUID(),
        2,
        "AAPL",
        "BUY",
        "STOP_LIMIT",
        "GTC",
        10,
        4,
        new BigDecimal("101.5"),
        new BigDecimal("100"),
        "PARTIALLY_FILLED",
        null,
        "k-1",
        AT,
        AT.plusSeconds(1),
        null,
        AT.plusMillis(500),
        null);
  }

  static Views.Fill fill(UUID orderId) {
    return new Views.Fill(
        42,
        orderId,
        2,
        "AAPL",
        "BUY",
        4,
        new BigDecimal("100.00000000"),
        new BigDecimal("0.01000000"),
        new BigDecimal("100.01000000"),
        new BigDecimal("400.04"),
        new BigDecimal("1.00"),
        new BigDecimal("-401.04"),
        new BigDecimal("0.00"),
        4,
        new BigDecimal("9598.96"),
        AT,
        "t-9",
        AT.plusMillis(7));
  }

  static Views.Portfolio portfolio() {
    BigDecimal cash = new BigDecimal("5000.00");
    return new Views.Portfolio(
        7,
        "USD",
        3,
        cash,
        cash,
        new BigDecimal("0.00"),
        cash,
        new BigDecimal("0.00"),
        new BigDecimal("0.00"),
        new BigDecimal("0.00"),
        new BigDecimal("0.00"),
        false,
        AT,
        AT,
        List.of());
  }

  String payload(String instance, List<PortfolioEvents.Event> list) {
    List<String> encoded = new ArrayList<>();
    for (PortfolioEvents.Event e : list) {
      encoded.add(json.writeValueAsString(PortfolioNotifications.WireEvent.of(e)));
    }
    List<String> p = NotifyPayloads.pack(instance, 0, encoded, NotifyPayloads.MAX_BYTES, e -> {});
    assertThat(p).hasSize(1);
    return p.get(0);
  }

  double counter(String name) {
    return registry.get(name).counter().count();
  }

  @Test
  void anotherInstancesEventsArriveExactlyAndInOrder() {
    Views.Order o = order();
    List<PortfolioEvents.Event> sent =
        List.of(
            new PortfolioEvents.Event(7, PortfolioEvents.Kind.ORDER, o),
            new PortfolioEvents.Event(7, PortfolioEvents.Kind.FILL, fill(o.id())),
            new PortfolioEvents.Event(7, PortfolioEvents.Kind.RESET, portfolio()));
    List<PortfolioEvents.Event> seen = new ArrayList<>();
    Disposable d = events.of(7).subscribe(seen::add);
    relay.receive(payload(UUID.randomUUID().toString(), sent));
    d.dispose();
    assertThat(seen).isEqualTo(sent); // records: every field equal, BigDecimal scales included
    assertThat(counter("papertape.portfolio.events.received")).isEqualTo(3);
  }

  @Test
  void ownPayloadsAreSkipped() {
    List<PortfolioEvents.Event> seen = new ArrayList<>();
    Disposable d = events.of(7).subscribe(seen::add);
    relay.receive(
        payload(
            relay.instance(),
            List.of(new PortfolioEvents.Event(7, PortfolioEvents.Kind.ORDER, order()))));
    d.dispose();
    assertThat(seen).isEmpty();
  }

  @Test
  void malformedPayloadsAreCountedNotThrown() {
    List<PortfolioEvents.Event> seen = new ArrayList<>();
    Disposable d = events.of(7).subscribe(seen::add);
    for (String bad :
        List.of(
            "",
            "not json",
            "[]",
            "{\"instance\":\"x\",\"seq\":1,\"events\":[{\"portfolioId\":7,\"kind\":\"ORDER\"}]}",
            "{\"instance\":\"x\",\"seq\":1,\"events\":[{\"portfolioId\":7,\"kind\":\"NOPE\"}]}",
            "{\"instance\":\"x\",\"seq\":1,\"events\":[{\"portfolioId\":7,\"kind\":\"FILL\",\"fill\":{\"id\":\"a\"}}]}")) {
      relay.receive(bad);
    }
    d.dispose();
    assertThat(seen).isEmpty();
    assertThat(counter("papertape.portfolio.events.malformed")).isGreaterThanOrEqualTo(5);
  }
}
