package dev.papertape.api.portfolio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.papertape.api.RealInfrastructure;
import dev.papertape.api.market.LatestPrices;
import dev.papertape.api.portfolio.matching.PortfolioEvents;
import dev.papertape.api.portfolio.matching.RestingOrderCatchUp;
import dev.papertape.api.portfolio.matching.RestingOrderMatcher;
import dev.papertape.api.security.TestUsers;
import dev.papertape.model.Trade;
import dev.papertape.testing.TestDatabase;
import dev.papertape.testing.TradeFixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Resting orders filled by later market trades, on the real test TimescaleDB and Kafka: trades
 * produced to the test trades topic reach the matcher through the API's consumer; the harder
 * interleavings call {@link RestingOrderMatcher#match} directly (a second matcher object on the
 * same database stands for a second API instance). Every portfolio is audited against its fill log
 * afterwards ({@link LedgerAudit}).
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "papertape.portfolio.slippage-bps=10",
      "papertape.portfolio.commission-per-share=0.01",
      "papertape.portfolio.commission-min=1.00"
    })
class RestingOrdersIT {
  static final RealInfrastructure INFRA = new RealInfrastructure();
  static final String SYM = TradeFixtures.uniqueSymbol("R");
  static final ObjectMapper JSON = new ObjectMapper();

  @LocalServerPort int port;
  @Autowired RestingOrderMatcher matcher;
  @Autowired PortfolioService service;
  @Autowired LatestPrices prices;
  @Autowired DatabaseClient db;
  @Autowired PortfolioEvents events;
  @Autowired RestingOrderCatchUp catchUp;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry r) {
    INFRA.register(r);
  }

  @BeforeAll
  static void market() {
    TestDatabase.execute("INSERT INTO symbols (symbol, name) VALUES ('" + SYM + "', 'Rest Corp')");
  }

  record Trader(long userId, long portfolioId, WebClient client) {}

  Trader trader(String cash) {
    long userId = TestUsers.create(TestUsers.uniqueName("rester"), "rest-pw");
    WebClient c =
        WebClient.builder()
            .baseUrl("http://127.0.0.1:" + port)
            .defaultHeader("X-Api-Key", TestUsers.createKey(userId))
            .build();
    call(c.post().uri("/portfolio/init"), "{\"startingCash\": " + cash + "}");
    long pid =
        ((Number)
                TestDatabase.query("SELECT id FROM portfolios WHERE user_id = ?", userId)
                    .get(0)
                    .get("id"))
            .longValue();
    return new Trader(userId, pid, c);
  }

  static JsonNode call(WebClient.RequestBodySpec spec, String body) {
    String s =
        spec.contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body)
            .retrieve()
            .bodyToMono(String.class)
            .block(Duration.ofSeconds(30));
    try {
      return JSON.readTree(s);
    } catch (Exception e) {
      throw new AssertionError(s, e);
    }
  }

  UUID place(Trader t, String side, long qty, String type, String limit, String stop, String tif) {
    String body = OrderBodies.order(SYM, side, qty, type, limit, stop, tif);
    JsonNode o = call(t.client().post().uri("/portfolio/trade"), body);
    assertThat(o.path("status").asText()).as(o.toString()).isEqualTo("ACCEPTED");
    return UUID.fromString(o.get("id").asText());
  }

  UUID limit(Trader t, String side, long qty, String limit) {
    return place(t, side, qty, "LIMIT", limit, null, "GTC");
  }

  /** A trade of SYM dated now (after every order placed so far: created_at < ts). */
  static Trade trade(String price, long size) {
    sleepMs(5);
    return TradeFixtures.trade(SYM, price, size, Instant.now().truncatedTo(ChronoUnit.MILLIS));
  }

  static void sleepMs(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Map<String, Object> order(UUID id) {
    return TestDatabase.query(
            "SELECT status, filled_quantity, reason, triggered_at FROM orders WHERE id = ?", id)
        .get(0);
  }

  static List<Map<String, Object>> fills(UUID id) {
    return TestDatabase.query(
        "SELECT quantity, market_price, price, slippage, commission, market_trade_ts,"
            + " market_trade_id FROM paper_trades WHERE order_id = ? ORDER BY id",
        id);
  }

  static long filled(UUID id) {
    return ((Number) order(id).get("filled_quantity")).longValue();
  }

  static String status(UUID id) {
    return (String) order(id).get("status");
  }

  static BigDecimal dec(Object o) {
    return new BigDecimal(o.toString());
  }

  void match(Trade t) {
    matcher.match(t).collectList().block(Duration.ofSeconds(30));
  }

  static void produce(Trade... trades) {
    INFRA.produceTrades(trades);
  }

  @Test
  void limitBuyOverKafkaRestsFillsPartlyAndThenOnceEvenWhenTheTradeIsReplayed() {
    // the consumer reads from the end: wait until it sees the topic
    String other = TradeFixtures.uniqueSymbol("W");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              produce(TradeFixtures.trade(other, "1", 1, Instant.now()));
              return prices.latestTrade(other).isPresent();
            });

    Trader t = trader("10000.00");
    List<PortfolioEvents.Event> seen = Collections.synchronizedList(new ArrayList<>());
    Disposable sub = events.of(t.portfolioId()).subscribe(seen::add);
    Trade beforeOrder = trade("90.00", 100);
    UUID id = limit(t, "BUY", 10, "100");

    // older than the order, and above the limit: neither fills
    Trade above = trade("100.01", 100);
    Trade small = trade("99.50", 3);
    produce(beforeOrder, above, small);
    await().atMost(Duration.ofSeconds(30)).until(() -> filled(id) == 3);
    assertThat(status(id)).isEqualTo("PARTIALLY_FILLED");
    List<Map<String, Object>> f = fills(id);
    assertThat(f).hasSize(1);
    assertThat(f.get(0).get("market_trade_id")).isEqualTo(small.tradeId());
    assertThat(((java.sql.Timestamp) f.get(0).get("market_trade_ts")).toInstant())
        .isEqualTo(small.ts());
    assertThat(dec(f.get(0).get("price"))).isEqualByComparingTo("99.50"); // no slippage on limits
    assertThat(dec(f.get(0).get("slippage"))).isEqualByComparingTo("0");
    assertThat(dec(f.get(0).get("commission"))).isEqualByComparingTo("1.00"); // the minimum

    // a crossing trade, produced twice (a replay): fills the remaining 7, once
    Trade crossing = trade("100.00", 50);
    produce(crossing, crossing);
    await().atMost(Duration.ofSeconds(30)).until(() -> "FILLED".equals(status(id)));
    Trade marker = trade("99.00", 1);
    UUID probe = limit(trader("1000.00"), "BUY", 1, "99");
    Trade after = trade("99.00", 1);
    produce(crossing, marker, after);
    await().atMost(Duration.ofSeconds(30)).until(() -> "FILLED".equals(status(probe)));
    f = fills(id);
    assertThat(f).hasSize(2);
    assertThat(((Number) f.get(1).get("quantity")).longValue()).isEqualTo(7);
    assertThat(f.get(1).get("market_trade_id")).isEqualTo(crossing.tradeId());
    // the minimum is charged once per order: 7 × 0.01
    assertThat(dec(f.get(1).get("commission"))).isEqualByComparingTo("0.07");
    Map<String, Object> p =
        TestDatabase.query("SELECT cash FROM portfolios WHERE id = ?", t.portfolioId()).get(0);
    // 10000 − (3 × 99.50 + 1.00) − (7 × 100 + 0.07) = 9000.43
    assertThat(dec(p.get("cash"))).isEqualByComparingTo("9000.43");
    // a market order fills at the stream's latest trade and names it (no more 'stream' ids)
    JsonNode market =
        call(
            t.client().post().uri("/portfolio/trade"),
            "{\"symbol\":\"" + SYM + "\",\"side\":\"BUY\",\"quantity\":1,\"type\":\"MARKET\"}");
    assertThat(market.path("status").asText()).as(market.toString()).isEqualTo("FILLED");
    assertThat(market.path("fills").get(0).path("marketTradeId").asText())
        .isEqualTo(after.tradeId());
    LedgerAudit.check(t.portfolioId());

    sub.dispose();
    assertThat(seen.stream().map(e -> e.kind() + ":" + status(e)))
        .containsSubsequence(
            "ORDER:ACCEPTED", "FILL:-", "ORDER:PARTIALLY_FILLED", "FILL:-", "ORDER:FILLED");
  }

  private static String status(PortfolioEvents.Event e) {
    return e.data() instanceof Views.Order o ? o.status() : "-";
  }

  @Test
  void limitSellAndTradesOlderThanTheOrderAndTheRules() {
    Trader t = trader("10000.00");
    UUID buy = limit(t, "BUY", 5, "50");
    match(trade("50.00", 10));
    assertThat(status(buy)).isEqualTo("FILLED");

    Trade old = trade("70.00", 10);
    UUID sell = limit(t, "SELL", 5, "60");
    match(old); // before the order: never fills it
    match(trade("59.99", 10)); // below the limit
    assertThat(filled(sell)).isZero();
    match(trade("61.00", 2));
    assertThat(filled(sell)).isEqualTo(2);
    assertThat(dec(fills(sell).get(0).get("price"))).isEqualByComparingTo("61.00");

    // selling more than is held when it fills: canceled with the reason
    UUID oversell = limit(t, "SELL", 100, "60");
    match(trade("60.00", 1000));
    assertThat(status(sell)).isEqualTo("FILLED");
    assertThat(order(oversell).get("reason")).isEqualTo("insufficient-position");
    assertThat(status(oversell)).isEqualTo("CANCELED");

    // buying more than cash allows (commission included): canceled, nothing filled
    UUID overbuy = limit(t, "BUY", 1000, "100");
    match(trade("99.00", 5000));
    assertThat(status(overbuy)).isEqualTo("CANCELED");
    assertThat(order(overbuy).get("reason")).isEqualTo("insufficient-cash");
    assertThat(fills(overbuy)).isEmpty();
    LedgerAudit.check(t.portfolioId());
  }

  @Test
  void stopsTriggerAndStopLimitsRestAsLimits() {
    Trader t = trader("10000.00");
    UUID stop = place(t, "BUY", 5, "STOP", null, "105", "GTC");
    match(trade("104.99", 10));
    assertThat(order(stop).get("triggered_at")).isNull();
    Trade trigger = trade("106.00", 2);
    match(trigger);
    assertThat(filled(stop)).isEqualTo(2);
    assertThat(order(stop).get("triggered_at")).isNotNull();
    // market-like: 106 + 10 bps
    assertThat(dec(fills(stop).get(0).get("price"))).isEqualByComparingTo("106.106");
    match(trade("103.00", 10)); // triggered: fills the rest at any later trade
    assertThat(status(stop)).isEqualTo("FILLED");
    assertThat(dec(fills(stop).get(1).get("price"))).isEqualByComparingTo("103.103");

    UUID stopLimit = place(t, "BUY", 4, "STOP_LIMIT", "105.50", "105", "GTC");
    match(trade("106.00", 10)); // triggers; above the limit: no fill
    assertThat(order(stopLimit).get("triggered_at")).isNotNull();
    assertThat(filled(stopLimit)).isZero();
    assertThat(status(stopLimit)).isEqualTo("ACCEPTED");
    match(trade("105.20", 10)); // now a limit order at 105.50
    assertThat(status(stopLimit)).isEqualTo("FILLED");
    assertThat(dec(fills(stopLimit).get(0).get("price"))).isEqualByComparingTo("105.20");

    UUID both = place(t, "BUY", 1, "STOP_LIMIT", "107", "106", "GTC");
    match(trade("106.50", 10)); // triggers and fills at the same trade
    assertThat(status(both)).isEqualTo("FILLED");
    LedgerAudit.check(t.portfolioId());
  }

  @Test
  void aCancelRacingAFillEndsOneWayOnly() {
    Trader t = trader("100000.00");
    int canceled = 0;
    int filledOrders = 0;
    for (int i = 0; i < 30; i++) {
      UUID id = limit(t, "BUY", 1, "100");
      Trade cross = trade("99.00", 10);
      Mono<Integer> cancel =
          t.client()
              .delete()
              .uri("/portfolio/orders/" + id)
              .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value()))
              .subscribeOn(Schedulers.boundedElastic());
      Mono<List<dev.papertape.api.portfolio.matching.RestingResult>> fill =
          matcher.match(cross).collectList().subscribeOn(Schedulers.boundedElastic());
      var r = Mono.zip(cancel, fill).block(Duration.ofSeconds(30));
      String s = status(id);
      int n = fills(id).size();
      if (s.equals("CANCELED")) {
        assertThat(n).isZero();
        assertThat(r.getT1()).isEqualTo(200);
        canceled++;
      } else {
        assertThat(s).isEqualTo("FILLED");
        assertThat(n).isEqualTo(1);
        assertThat(r.getT1()).isEqualTo(409);
        filledOrders++;
      }
    }
    assertThat(canceled + filledOrders).isEqualTo(30);
    org.slf4j.LoggerFactory.getLogger(RestingOrdersIT.class)
        .info("cancel race: {} canceled, {} filled", canceled, filledOrders);
    LedgerAudit.check(t.portfolioId());
  }

  @Test
  void twoMatchersOnOneDatabaseFillEachOrderOnce() {
    RestingOrderMatcher second =
        new RestingOrderMatcher(prices, service, db, catchUp, new SimpleMeterRegistry());
    List<Trader> traders = List.of(trader("10000.00"), trader("10000.00"));
    List<UUID> ids = new ArrayList<>();
    for (Trader t : traders) {
      for (int i = 0; i < 5; i++) {
        ids.add(limit(t, "BUY", 4, "80"));
      }
    }
    for (int k = 0; k < 3; k++) {
      Trade tr = trade("79.00", 2); // each trade fills 2 of every order
      Flux.merge(
              matcher.match(tr).subscribeOn(Schedulers.boundedElastic()),
              second.match(tr).subscribeOn(Schedulers.boundedElastic()),
              matcher.match(tr).subscribeOn(Schedulers.boundedElastic()))
          .collectList()
          .block(Duration.ofSeconds(60));
    }
    for (UUID id : ids) {
      assertThat(status(id)).isEqualTo("FILLED");
      assertThat(fills(id)).hasSize(2);
      assertThat(fills(id).stream().mapToLong(f -> ((Number) f.get("quantity")).longValue()).sum())
          .isEqualTo(4);
    }
    for (Trader t : traders) {
      LedgerAudit.check(t.portfolioId());
    }
  }

  @Test
  void dayOrdersExpireAndNeverFillOnceExpired() {
    Trader t = trader("10000.00");
    UUID day = place(t, "BUY", 1, "LIMIT", "100", null, "DAY");
    UUID gtc = limit(t, "BUY", 1, "1");
    assertThat(order(day).get("status")).isEqualTo("ACCEPTED");
    TestDatabase.query(
        "UPDATE orders SET expires_at = now() - interval '1 second' WHERE id = ? RETURNING id",
        day);
    match(trade("99.00", 10)); // its day is over: not filled, even before the sweep
    assertThat(fills(day)).isEmpty();
    assertThat(matcher.sweep().block(Duration.ofSeconds(30))).isGreaterThanOrEqualTo(1);
    assertThat(status(day)).isEqualTo("EXPIRED");
    assertThat(status(gtc)).isEqualTo("ACCEPTED");
    LedgerAudit.check(t.portfolioId());
  }

  @Test
  void streamPortfolioCarriesTheUsersOwnOrderAndFillEventsOnly() {
    Trader a = trader("10000.00");
    Trader b = trader("10000.00");
    org.springframework.core.ParameterizedTypeReference<
            org.springframework.http.codec.ServerSentEvent<String>>
        sse = new org.springframework.core.ParameterizedTypeReference<>() {};
    List<org.springframework.http.codec.ServerSentEvent<String>> ofA =
        Collections.synchronizedList(new ArrayList<>());
    List<org.springframework.http.codec.ServerSentEvent<String>> ofB =
        Collections.synchronizedList(new ArrayList<>());
    Disposable sa =
        a.client().get().uri("/stream/portfolio").retrieve().bodyToFlux(sse).subscribe(ofA::add);
    Disposable sb =
        b.client().get().uri("/stream/portfolio").retrieve().bodyToFlux(sse).subscribe(ofB::add);
    try {
      // connected comments first: both subscriptions are live
      await().atMost(Duration.ofSeconds(10)).until(() -> !ofA.isEmpty() && !ofB.isEmpty());
      UUID id = limit(a, "BUY", 2, "10");
      match(trade("9.50", 5));
      // order and fill events (valuation events come and go with them: PortfolioLiveIT)
      Predicate<ServerSentEvent<String>> ledger =
          e -> "order".equals(e.event()) || "fill".equals(e.event());
      await().atMost(Duration.ofSeconds(10)).until(() -> ofA.stream().filter(ledger).count() >= 3);
      List<String> named =
          ofA.stream()
              .filter(ledger)
              .map(e -> e.event() + ":" + read(e.data()).path("status").asText())
              .toList();
      assertThat(named).containsExactly("order:ACCEPTED", "fill:", "order:FILLED");
      assertThat(ofA.stream().filter(ledger).map(e -> read(e.data())))
          .allMatch(j -> j.path("orderId").asText(j.path("id").asText()).equals(id.toString()));
      assertThat(ofB).noneMatch(ledger); // never A's orders or fills
      assertThat(ofB.stream().filter(e -> "valuation".equals(e.event())).map(e -> read(e.data())))
          .allMatch(j -> j.path("id").asLong() == b.portfolioId()); // only B's own valuation
    } finally {
      sa.dispose();
      sb.dispose();
    }
    int status =
        WebClient.create("http://127.0.0.1:" + port)
            .get()
            .uri("/stream/portfolio")
            .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value()))
            .block(Duration.ofSeconds(10));
    assertThat(status).isEqualTo(401);
  }

  static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new AssertionError(json, e);
    }
  }
}
