package dev.papertape.api.portfolio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.papertape.api.QueryApiApplication;
import dev.papertape.api.RealInfrastructure;
import dev.papertape.api.market.LatestPrices;
import dev.papertape.api.security.TestUsers;
import dev.papertape.model.Trade;
import dev.papertape.testing.TestDatabase;
import dev.papertape.testing.TradeFixtures;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.Disposable;

/**
 * The live portfolio channel with two API instances on one database and one broker: instance A is
 * this test's context, instance B a second application context started next to it (its own port,
 * its own matcher and trades consumer, its own notification connection). Real TimescaleDB and
 * Kafka; trades are produced to the shared test topic, so both matchers see each one.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "papertape.portfolio.stream.valuation-interval=" + PortfolioLiveIT.INTERVAL)
class PortfolioLiveIT {
  static final String INTERVAL = "2s";
  static final RealInfrastructure INFRA = new RealInfrastructure();
  static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
      new ParameterizedTypeReference<>() {};

  static ConfigurableApplicationContext second;
  static int portB;

  @LocalServerPort int portA;
  @Autowired LatestPrices pricesA;
  @Autowired ApplicationContext contextA;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry r) {
    INFRA.register(r);
  }

  /** Instance B: the same application, database and broker; command-line args beat the yml. */
  @BeforeAll
  static void secondInstance() {
    Map<String, Object> props = new LinkedHashMap<>();
    INFRA.register((name, value) -> props.put(name, value.get()));
    props.put("server.port", 0);
    props.put("papertape.portfolio.stream.valuation-interval", INTERVAL);
    String[] args =
        props.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    second = new SpringApplicationBuilder(QueryApiApplication.class).run(args);
    portB = ((WebServerApplicationContext) second).getWebServer().getPort();
  }

  @AfterAll
  static void stopSecond() {
    if (second != null) {
      second.close();
    }
  }

  // ---- fixtures

  record Trader(long userId, String name, String password, String key, long portfolioId) {
    WebClient on(int port) {
      return WebClient.builder()
          .baseUrl("http://127.0.0.1:" + port)
          .defaultHeader("X-Api-Key", key)
          .build();
    }
  }

  Trader trader(boolean init) {
    String name = TestUsers.uniqueName("live");
    long userId = TestUsers.create(name, "live-pw");
    String key = TestUsers.createKey(userId);
    long pid = -1;
    if (init) {
      WebClient c =
          WebClient.builder()
              .baseUrl("http://127.0.0.1:" + portA)
              .defaultHeader("X-Api-Key", key)
              .build();
      pid =
          call(c.post().uri("/portfolio/init"), "{\"startingCash\": 10000.00}").path("id").asLong();
    }
    return new Trader(userId, name, "live-pw", key, pid);
  }

  static JsonNode call(WebClient.RequestBodySpec spec, String body) {
    return read(
        spec.contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body)
            .retrieve()
            .bodyToMono(String.class)
            .block(Duration.ofSeconds(30)));
  }

  static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new AssertionError(json, e);
    }
  }

  static JsonNode order(
      Trader t,
      int port,
      String symbol,
      String side,
      long qty,
      String type,
      String limit,
      String stop) {
    String body =
        "{\"symbol\":\""
            + symbol
            + "\",\"side\":\""
            + side
            + "\",\"quantity\":"
            + qty
            + ",\"type\":\""
            + type
            + "\""
            + (limit == null ? "" : ",\"limitPrice\":" + limit)
            + (stop == null ? "" : ",\"stopPrice\":" + stop)
            + ",\"timeInForce\":\"GTC\"}";
    return call(t.on(port).post().uri("/portfolio/trade"), body);
  }

  static String symbol(String prefix) {
    String s = TradeFixtures.uniqueSymbol(prefix);
    TestDatabase.execute("INSERT INTO symbols (symbol, name) VALUES ('" + s + "', 'Live Corp')");
    return s;
  }

  static void produce(Trade... trades) {
    INFRA.produceTrades(trades);
  }

  static Instant now() {
    try {
      Thread.sleep(5); // later than every order placed so far
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  /** Until both instances' trades consumers read the topic. */
  void bothInstancesReadTrades() {
    LatestPrices pricesB = second.getBean(LatestPrices.class);
    String probe = TradeFixtures.uniqueSymbol("P");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              produce(TradeFixtures.trade(probe, "1", 1, Instant.now()));
              return pricesA.latestTrade(probe).isPresent()
                  && pricesB.latestTrade(probe).isPresent();
            });
  }

  /** An SSE subscription's named events (comments left out), as (event, JSON data). */
  record Received(String event, JsonNode data) {}

  static final class Listener implements AutoCloseable {
    final List<Received> events = Collections.synchronizedList(new ArrayList<>());
    final List<Object> all = Collections.synchronizedList(new ArrayList<>());
    final Disposable subscription;

    Listener(WebClient client) {
      subscription =
          client
              .get()
              .uri("/stream/portfolio")
              .retrieve()
              .bodyToFlux(SSE)
              .subscribe(
                  e -> {
                    all.add(e);
                    if (e.event() != null) {
                      events.add(new Received(e.event(), read(e.data())));
                    }
                  });
      await().atMost(Duration.ofSeconds(20)).until(() -> !all.isEmpty());
    }

    List<Received> named(String event) {
      synchronized (events) {
        return events.stream().filter(r -> r.event().equals(event)).toList();
      }
    }

    boolean has(String event, Predicate<JsonNode> p) {
      return named(event).stream().map(Received::data).anyMatch(p);
    }

    @Override
    public void close() {
      subscription.dispose();
    }
  }

  static Predicate<JsonNode> order(String id, String status) {
    return j -> j.path("id").asText().equals(id) && j.path("status").asText().equals(status);
  }

  static boolean seen(LatestPrices prices, String symbol, String price) {
    return prices
        .latestTrade(symbol)
        .map(t -> t.price().compareTo(new BigDecimal(price)) == 0)
        .orElse(false);
  }

  // ---- tests

  @Test
  void aClientOfEitherInstanceSeesEveryInstancesEventsOfItsPortfolioOnceAndNoOneElses() {
    bothInstancesReadTrades();
    String sym = symbol("X");
    Trader u = trader(true);
    Trader v = trader(true);
    try (Listener uOnA = new Listener(u.on(portA));
        Listener uOnB = new Listener(u.on(portB));
        Listener vOnA = new Listener(v.on(portA))) {
      // a limit order through B, filled by whichever matcher wins the trade
      String limit = order(u, portB, sym, "BUY", 2, "LIMIT", "10", null).path("id").asText();
      // a stop order through A, triggered and filled by a later trade
      String stop = order(u, portA, sym, "BUY", 1, "STOP", null, "12").path("id").asText();
      produce(TradeFixtures.trade(sym, "9.50", 5, now()));
      produce(TradeFixtures.trade(sym, "12.50", 5, now()));
      // a market order through B, at the latest trade B has seen
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  seen(second.getBean(LatestPrices.class), sym, "12.5")
                      && seen(pricesA, sym, "12.5"));
      String market = order(u, portB, sym, "BUY", 1, "MARKET", null, null).path("id").asText();
      assertThat(order(u, portA, sym, "BUY", 1, "MARKET", null, null).path("status").asText())
          .isEqualTo("FILLED");
      // markers, one through each instance: every earlier event of that instance came before them
      String markerA = order(u, portA, sym, "BUY", 1, "LIMIT", "1", null).path("id").asText();
      String markerB = order(u, portB, sym, "BUY", 1, "LIMIT", "1", null).path("id").asText();
      for (Listener l : List.of(uOnA, uOnB)) {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    l.has("order", order(limit, "FILLED"))
                        && l.has("order", order(stop, "FILLED"))
                        && l.has("order", order(market, "FILLED"))
                        && l.has("order", order(markerA, "ACCEPTED"))
                        && l.has("order", order(markerB, "ACCEPTED")));
      }
      for (Listener l : List.of(uOnA, uOnB)) {
        Map<String, Long> orders =
            l.named("order").stream()
                .collect(
                    Collectors.groupingBy(
                        r ->
                            r.data().path("id").asText()
                                + ":"
                                + r.data().path("status").asText()
                                + ":"
                                + r.data().path("filledQuantity").asText(),
                        Collectors.counting()));
        assertThat(orders.values()).as("%s", orders).allMatch(n -> n == 1);
        assertThat(orders)
            .containsKeys(
                limit + ":ACCEPTED:0",
                limit + ":FILLED:2",
                stop + ":ACCEPTED:0",
                stop + ":FILLED:1",
                market + ":FILLED:1",
                markerA + ":ACCEPTED:0",
                markerB + ":ACCEPTED:0");
        Map<Long, Long> fills =
            l.named("fill").stream()
                .collect(
                    Collectors.groupingBy(
                        r -> r.data().path("id").asLong(), Collectors.counting()));
        assertThat(fills.values()).as("%s", fills).allMatch(n -> n == 1);
        assertThat(fills).hasSize(4); // limit, stop, two market orders
        assertThat(l.named("fill")).allMatch(r -> r.data().path("symbol").asText().equals(sym));
        // the stop order names when a trade reached its stop
        JsonNode stopFilled =
            l.named("order").stream()
                .map(Received::data)
                .filter(order(stop, "FILLED"))
                .findFirst()
                .orElseThrow();
        assertThat(stopFilled.path("triggeredAt").asText()).isNotEmpty();
        assertThat(l.named("valuation"))
            .isNotEmpty()
            .allMatch(r -> r.data().path("id").asLong() == u.portfolioId());
      }
      // the other user: own valuations only, never u's orders or fills
      assertThat(vOnA.named("order")).isEmpty();
      assertThat(vOnA.named("fill")).isEmpty();
      assertThat(vOnA.named("valuation"))
          .isNotEmpty()
          .allMatch(r -> r.data().path("id").asLong() == v.portfolioId());
    }
    LedgerAudit.check(u.portfolioId());
  }

  @Test
  void valuationsFollowTheHeldSymbolsPriceAtMostOncePerInterval() {
    bothInstancesReadTrades();
    String sym = symbol("V");
    Trader u = trader(true);
    produce(TradeFixtures.trade(sym, "20.00", 100, now()));
    await().atMost(Duration.ofSeconds(20)).until(() -> pricesA.latestTrade(sym).isPresent());
    order(u, portA, sym, "BUY", 10, "MARKET", null, null);
    try (Listener l = new Listener(u.on(portA))) {
      // on connecting: the portfolio with its position
      await().atMost(Duration.ofSeconds(20)).until(() -> !l.named("valuation").isEmpty());
      JsonNode first = l.named("valuation").get(0).data();
      assertThat(first.path("positions").get(0).path("quantity").asLong()).isEqualTo(10);
      BigDecimal avgCost = new BigDecimal(first.path("positions").get(0).path("avgCost").asText());
      BigDecimal cash = new BigDecimal(first.path("cash").asText());

      // a burst of 40 prices in one batch: a few valuations, the last one at the last price
      int before = l.named("valuation").size();
      Trade[] burst = new Trade[40];
      Instant t0 = now();
      for (int i = 0; i < burst.length; i++) {
        burst[i] = TradeFixtures.trade(sym, (21 + i) + ".00", 1, t0.plusMillis(i));
      }
      produce(burst);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(l.named("valuation"))
                      .map(r -> r.data().path("positions").path(0).path("lastPrice").decimalValue())
                      .anyMatch(p -> p.compareTo(new BigDecimal("60")) == 0));
      List<JsonNode> after =
          l.named("valuation").subList(before, l.named("valuation").size()).stream()
              .map(Received::data)
              .toList();
      assertThat(after.size()).as("valuations for 40 prices").isLessThanOrEqualTo(10);
      JsonNode last = after.get(after.size() - 1);
      BigDecimal marketValue = new BigDecimal("600.00");
      JsonNode pos = last.path("positions").get(0);
      assertThat(new BigDecimal(pos.path("marketValue").asText()))
          .isEqualByComparingTo(marketValue);
      assertThat(new BigDecimal(last.path("positionsValue").asText()))
          .isEqualByComparingTo(marketValue);
      assertThat(new BigDecimal(last.path("totalValue").asText()))
          .isEqualByComparingTo(cash.add(marketValue));
      assertThat(new BigDecimal(last.path("unrealisedPnl").asText()))
          .isEqualByComparingTo(
              new BigDecimal("60")
                  .subtract(avgCost)
                  .multiply(BigDecimal.TEN)
                  .setScale(2, RoundingMode.HALF_UP));
      // the same valuation as GET /portfolio answers it
      JsonNode get =
          read(
              u.on(portA)
                  .get()
                  .uri("/portfolio")
                  .retrieve()
                  .bodyToMono(String.class)
                  .block(Duration.ofSeconds(10)));
      assertThat(new BigDecimal(get.path("totalValue").asText()))
          .isEqualByComparingTo(new BigDecimal(last.path("totalValue").asText()));

      // a fill through the other instance: a new valuation with the new position
      order(u, portB, sym, "SELL", 4, "MARKET", null, null);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  l.has(
                      "valuation",
                      j -> j.path("positions").path(0).path("quantity").asLong() == 6));

      // a reset through the other instance: its open orders canceled, then the new epoch's
      // valuation
      String open = order(u, portB, sym, "BUY", 1, "LIMIT", "1", null).path("id").asText();
      int epoch = first.path("epoch").asInt();
      call(u.on(portB).post().uri("/portfolio/reset"), "{}");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  l.has(
                          "order",
                          j ->
                              order(open, "CANCELED").test(j)
                                  && j.path("reason").asText().equals("portfolio reset"))
                      && l.has(
                          "valuation",
                          j ->
                              j.path("epoch").asInt() == epoch + 1
                                  && j.path("positions").isEmpty()));
    }
  }

  @Test
  void aLostNotificationConnectionIsCountedAndReopened() {
    MeterRegistry registry = contextA.getBean(MeterRegistry.class);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> registry.get("papertape.portfolio.events.listening").gauge().value() == 1);
    double lost = registry.get("papertape.portfolio.events.listen.lost").counter().count();
    // what a database restart does to it: the server ends the LISTEN sessions
    TestDatabase.query(
        "SELECT pg_terminate_backend(pid) AS t FROM pg_stat_activity"
            + " WHERE query = 'LISTEN papertape_portfolio'");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                registry.get("papertape.portfolio.events.listen.lost").counter().count() > lost
                    && registry.get("papertape.portfolio.events.listening").gauge().value() == 1);
    // listening again: the other instance's orders arrive
    Trader u = trader(true);
    String sym = symbol("R");
    try (Listener onA = new Listener(u.on(portA))) {
      // the gauge is 1 once LISTEN ran on the new connection
      String id = order(u, portB, sym, "BUY", 1, "LIMIT", "1", null).path("id").asText();
      await().atMost(Duration.ofSeconds(30)).until(() -> onA.has("order", order(id, "ACCEPTED")));
      assertThat(onA.named("order")).hasSize(1);
    }
  }

  // ---- WebSocket

  static Disposable socket(int port, HttpHeaders headers, List<String> frames) {
    return new ReactorNettyWebSocketClient()
        .execute(
            URI.create("ws://127.0.0.1:" + port + "/ws/portfolio"),
            headers,
            s -> s.receive().map(WebSocketMessage::getPayloadAsText).doOnNext(frames::add).then())
        .subscribe();
  }

  static List<JsonNode> frames(List<String> raw) {
    synchronized (raw) {
      return raw.stream().map(PortfolioLiveIT::read).toList();
    }
  }

  @Test
  void webSocketCarriesTheSameEventsAndNeedsCredentials() {
    Trader u = trader(true);
    String sym = symbol("W");
    List<String> byKey = Collections.synchronizedList(new ArrayList<>());
    List<String> byPassword = Collections.synchronizedList(new ArrayList<>());
    HttpHeaders key = new HttpHeaders();
    key.add("X-Api-Key", u.key());
    HttpHeaders basic = new HttpHeaders();
    basic.add(
        HttpHeaders.AUTHORIZATION,
        "Basic "
            + Base64.getEncoder()
                .encodeToString((u.name() + ":" + u.password()).getBytes(StandardCharsets.UTF_8)));
    Disposable a = socket(portA, key, byKey);
    Disposable b = socket(portA, basic, byPassword);
    try {
      // the valuation on connecting, for either kind of credentials
      await().atMost(Duration.ofSeconds(20)).until(() -> !byKey.isEmpty() && !byPassword.isEmpty());
      for (List<String> raw : List.of(byKey, byPassword)) {
        JsonNode f = frames(raw).get(0);
        assertThat(f.path("event").asText()).isEqualTo("valuation");
        assertThat(f.path("data").path("id").asLong()).isEqualTo(u.portfolioId());
      }
      // an order placed through the other instance
      String id = order(u, portB, sym, "BUY", 1, "LIMIT", "1", null).path("id").asText();
      for (List<String> raw : List.of(byKey, byPassword)) {
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    frames(raw).stream()
                        .anyMatch(
                            f ->
                                f.path("event").asText().equals("order")
                                    && order(id, "ACCEPTED").test(f.path("data"))));
        assertThat(
                frames(raw).stream().filter(f -> f.path("event").asText().equals("order")).count())
            .isEqualTo(1);
      }
    } finally {
      a.dispose();
      b.dispose();
    }

    // no credentials, or wrong ones: 401 on the handshake
    for (HttpHeaders h : List.of(new HttpHeaders(), headers("X-Api-Key", "pt_wrong"))) {
      assertThatThrownBy(
              () ->
                  new ReactorNettyWebSocketClient()
                      .execute(
                          URI.create("ws://127.0.0.1:" + portA + "/ws/portfolio"),
                          h,
                          s -> s.receive().then())
                      .block(Duration.ofSeconds(20)))
          .hasStackTraceContaining("401");
    }

    // credentials but no portfolio yet: the 404 problem as an error frame, then the socket closes
    Trader none = trader(false);
    List<String> raw = Collections.synchronizedList(new ArrayList<>());
    new ReactorNettyWebSocketClient()
        .execute(
            URI.create("ws://127.0.0.1:" + portA + "/ws/portfolio"),
            headers("X-Api-Key", none.key()),
            s -> s.receive().map(WebSocketMessage::getPayloadAsText).doOnNext(raw::add).then())
        .block(Duration.ofSeconds(20));
    assertThat(frames(raw)).hasSize(1);
    assertThat(frames(raw).get(0).path("event").asText()).isEqualTo("error");
    assertThat(frames(raw).get(0).path("data").path("status").asInt()).isEqualTo(404);
    assertThat(frames(raw).get(0).path("data").path("type").asText()).endsWith("/no-portfolio");
  }

  static HttpHeaders headers(String name, String value) {
    HttpHeaders h = new HttpHeaders();
    h.add(name, value);
    return h;
  }
}
