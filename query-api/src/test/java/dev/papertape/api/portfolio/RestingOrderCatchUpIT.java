package dev.papertape.api.portfolio;

import static dev.papertape.api.portfolio.RestingOrdersIT.call;
import static dev.papertape.api.portfolio.RestingOrdersIT.filled;
import static dev.papertape.api.portfolio.RestingOrdersIT.fills;
import static dev.papertape.api.portfolio.RestingOrdersIT.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.papertape.api.RealInfrastructure;
import dev.papertape.api.market.LatestPrices;
import dev.papertape.api.portfolio.matching.CatchUpProperties;
import dev.papertape.api.portfolio.matching.CatchUpQueries;
import dev.papertape.api.portfolio.matching.CatchUpWindow;
import dev.papertape.api.portfolio.matching.RestingOrderCatchUp;
import dev.papertape.api.portfolio.matching.RestingOrderCatchUp.Reason;
import dev.papertape.api.portfolio.matching.RestingOrderMatcher;
import dev.papertape.api.security.TestUsers;
import dev.papertape.model.Trade;
import dev.papertape.testing.TestDatabase;
import dev.papertape.testing.TradeFixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * The catch-up of resting orders on the real test TimescaleDB: trades that happened while "the API
 * was down" are written to the {@code trades} table only (as the Flink job would), never to Kafka;
 * a matcher that (re)starts, or a catch-up pass called directly (a second object on the same
 * database standing for a second API instance), offers them to the resting orders. Every portfolio
 * is audited against its fill log afterwards ({@link LedgerAudit}).
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"papertape.portfolio.slippage-bps=10"})
class RestingOrderCatchUpIT {
  static final RealInfrastructure INFRA = new RealInfrastructure();

  @LocalServerPort int port;
  @Autowired PortfolioService service;
  @Autowired LatestPrices prices;
  @Autowired DatabaseClient db;
  @Autowired RestingOrderCatchUp catchUp;
  @Autowired Clock clock;
  @Autowired RestingOrderMatcher matcher;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry r) {
    INFRA.register(r);
  }

  record Trader(long portfolioId, WebClient client) {}

  static String symbol() {
    String s = TradeFixtures.uniqueSymbol("C");
    TestDatabase.execute("INSERT INTO symbols (symbol, name) VALUES ('" + s + "', 'Catch Corp')");
    return s;
  }

  Trader trader(String cash) {
    long userId = TestUsers.create(TestUsers.uniqueName("catcher"), "catch-pw");
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
    return new Trader(pid, c);
  }

  UUID place(
      Trader t,
      String sym,
      String side,
      long qty,
      String type,
      String limit,
      String stop,
      String tif) {
    String body = OrderBodies.order(sym, side, qty, type, limit, stop, tif);
    JsonNode o = call(t.client().post().uri("/portfolio/trade"), body);
    assertThat(o.path("status").asText()).as(o.toString()).isEqualTo("ACCEPTED");
    return UUID.fromString(o.get("id").asText());
  }

  UUID limit(Trader t, String sym, String side, long qty, String limit) {
    return place(t, sym, side, qty, "LIMIT", limit, null, "GTC");
  }

  /** A trade dated now (after every order placed so far), stored in {@code trades} only. */
  static Trade stored(String sym, String price, long size) {
    RestingOrdersIT.sleepMs(5);
    return store(
        TradeFixtures.trade(sym, price, size, Instant.now().truncatedTo(ChronoUnit.MILLIS)));
  }

  /** Writes the trade as the Flink job would, and nowhere else (no Kafka: the API is "down"). */
  static Trade store(Trade t) {
    TestDatabase.query(
        "INSERT INTO trades (ts, symbol, trade_id, price, size, source)"
            + " VALUES (?, ?, ?, ?, ?, ?) RETURNING trade_id",
        t.ts().atOffset(ZoneOffset.UTC),
        t.symbol(),
        t.tradeId(),
        t.price(),
        t.size(),
        t.source());
    return t;
  }

  static List<String> fillTrades(UUID order) {
    return fills(order).stream().map(f -> (String) f.get("market_trade_id")).toList();
  }

  static List<Long> fillSizes(UUID order) {
    return fills(order).stream().map(f -> ((Number) f.get("quantity")).longValue()).toList();
  }

  /** A second API instance's catch-up on the same database, with its own metrics. */
  RestingOrderCatchUp instance(SimpleMeterRegistry registry) {
    return new RestingOrderCatchUp(
        new CatchUpQueries(db), service, new CatchUpProperties(null, 2, null), clock, registry);
  }

  RestingOrderCatchUp.Summary pass(RestingOrderCatchUp c) {
    return c.pass(Reason.START, null, s -> null).block(Duration.ofSeconds(60));
  }

  @Test
  void aRestartFillsRestingOrdersOnTheTradesMissedInTheirOrderOnceAndOnlyWhenTheyMay() {
    String sym = symbol();
    Trader t = trader("100000.00");
    UUID a = limit(t, sym, "BUY", 10, "100");
    UUID day = place(t, sym, "BUY", 1, "LIMIT", "100", null, "DAY");
    UUID expired = place(t, sym, "BUY", 1, "LIMIT", "100", null, "DAY");
    // the API goes down: the market crosses the orders, the Flink job stores the trades
    stored(sym, "100.01", 50); // above the limit: nothing
    Trade first = stored(sym, "99.50", 3);
    // two trades at one instant: trade-id order
    Trade tie = TradeFixtures.trade(sym, "100.00", 4, first.ts().plusMillis(1));
    store(TradeFixtures.withId(tie, "tie-b"));
    store(TradeFixtures.withId(tie, "tie-a"));
    RestingOrdersIT.sleepMs(5);
    UUID late = limit(t, sym, "BUY", 5, "100"); // placed after those trades
    Trade last = stored(sym, "99.00", 50);
    // expired while the API was down (MatchRules: never filled once its day is over)
    TestDatabase.query(
        "UPDATE orders SET expires_at = now() - interval '1 millisecond' WHERE id = ? RETURNING id",
        expired);
    assertThat(filled(a)).isZero();

    // the API restarts: its matcher catches up before it matches live trades
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RestingOrderMatcher restarted =
        new RestingOrderMatcher(prices, service, db, instance(registry), registry);
    restarted.start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> "FILLED".equals(status(late)));
      await().atMost(Duration.ofSeconds(60)).until(() -> "FILLED".equals(status(a)));
    } finally {
      restarted.stop();
    }
    // in trade-time order (ts, then trade id), at most each trade's size
    assertThat(fillTrades(a)).containsExactly(first.tradeId(), "tie-a", "tie-b");
    assertThat(fillSizes(a)).containsExactly(3L, 4L, 3L);
    assertThat(RestingOrdersIT.dec(fills(a).get(0).get("price"))).isEqualByComparingTo("99.50");
    // placed after the earlier trades: only the last one fills it
    assertThat(fillTrades(late)).containsExactly(last.tradeId());
    assertThat(fillSizes(late)).containsExactly(5L);
    assertThat(fillTrades(day)).containsExactly(first.tradeId());
    assertThat(fills(expired)).isEmpty();
    assertThat(registry.get("papertape.matcher.catchup.fills").counter().count())
        .isGreaterThanOrEqualTo(4);
    assertThat(
            registry
                .get("papertape.matcher.catchup.passes")
                .tag("reason", "start")
                .counter()
                .count())
        .isEqualTo(1);

    // caught up twice more, and by two instances at once: nothing fills twice
    Flux.merge(
            catchUp.pass(Reason.START, null, s -> null).subscribeOn(Schedulers.boundedElastic()),
            instance(new SimpleMeterRegistry())
                .pass(Reason.START, null, s -> null)
                .subscribeOn(Schedulers.boundedElastic()))
        .collectList()
        .block(Duration.ofSeconds(60));
    pass(catchUp);
    assertThat(fillTrades(a)).containsExactly(first.tradeId(), "tie-a", "tie-b");
    assertThat(fillTrades(late)).containsExactly(last.tradeId());
    assertThat(fillTrades(day)).containsExactly(first.tradeId());
    assertThat(fills(expired)).isEmpty();
    LedgerAudit.check(t.portfolioId());
  }

  @Test
  void twoInstancesCatchingUpTogetherFillEachOrderOnceAndPartialFillsResumeAfterTheLastFill() {
    String sym = symbol();
    List<Trader> traders = List.of(trader("10000.00"), trader("10000.00"));
    List<UUID> ids = new java.util.ArrayList<>();
    for (Trader t : traders) {
      for (int i = 0; i < 4; i++) {
        ids.add(limit(t, sym, "BUY", 5, "80"));
      }
    }
    // one partly filled live before the outage; a trade older than that fill, stored late (the
    // Flink job lagged), fills the others but never that one
    UUID partly = ids.get(0);
    Trade older =
        TradeFixtures.trade(sym, "79.00", 1, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    RestingOrdersIT.sleepMs(5);
    Trade live = TradeFixtures.trade(sym, "79.50", 1, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    service.fillResting(traders.get(0).portfolioId(), partly, live).block(Duration.ofSeconds(30));
    assertThat(filled(partly)).isEqualTo(1);
    store(older);
    List<Trade> missed = List.of(stored(sym, "79.00", 2), stored(sym, "78.00", 2));
    stored(sym, "81.00", 100); // above every limit

    RestingOrderCatchUp second = instance(new SimpleMeterRegistry());
    Flux.merge(
            catchUp.pass(Reason.START, null, s -> null).subscribeOn(Schedulers.boundedElastic()),
            second.pass(Reason.START, null, s -> null).subscribeOn(Schedulers.boundedElastic()),
            second.pass(Reason.START, null, s -> null).subscribeOn(Schedulers.boundedElastic()))
        .collectList()
        .block(Duration.ofSeconds(120));
    for (UUID id : ids) {
      String firstFill = id.equals(partly) ? live.tradeId() : older.tradeId();
      assertThat(fillTrades(id))
          .as(id.toString())
          .containsExactly(firstFill, missed.get(0).tradeId(), missed.get(1).tradeId());
      assertThat(fillSizes(id)).containsExactly(1L, 2L, 2L);
      assertThat(status(id)).isEqualTo("FILLED");
    }
    for (Trader t : traders) {
      LedgerAudit.check(t.portfolioId());
    }
  }

  @Test
  void aStopTriggeredByAStoredTradeFillsOnTheStoredTradesAfterItUpToTheLiveBoundary() {
    String sym = symbol();
    Trader t = trader("10000.00");
    UUID stop = place(t, sym, "BUY", 5, "STOP", null, "105", "GTC");
    UUID old = limit(t, sym, "BUY", 1, "50");
    // placed two days ago; its crossing trade is older than the look-back (1d): never offered
    TestDatabase.query(
        "UPDATE orders SET created_at = now() - interval '2 days' WHERE id = ? RETURNING id", old);
    store(
        TradeFixtures.trade(
            sym,
            "49.00",
            10,
            Instant.now().minus(Duration.ofHours(36)).truncatedTo(ChronoUnit.MILLIS)));
    stored(sym, "104.99", 10);
    Trade trigger = stored(sym, "106.00", 2);
    Trade below = stored(sym, "103.00", 1); // below the stop: taken only once it triggered
    Trade firstLive = stored(sym, "103.50", 10); // the live stream's first trade of the symbol

    RestingOrderCatchUp.Summary s =
        catchUp
            .pass(Reason.START, null, x -> x.equals(sym) ? CatchUpWindow.Key.of(firstLive) : null)
            .block(Duration.ofSeconds(60));
    assertThat(s.offered()).isGreaterThanOrEqualTo(2);
    assertThat(fillTrades(stop)).containsExactly(trigger.tradeId(), below.tradeId());
    assertThat(fillSizes(stop)).containsExactly(2L, 1L);
    assertThat(fills(old)).isEmpty();
    // the live matcher takes over at its first trade
    pass(catchUp);
    assertThat(fillTrades(stop))
        .containsExactly(trigger.tradeId(), below.tradeId(), firstLive.tradeId());
    assertThat(status(stop)).isEqualTo("FILLED");
    assertThat(fills(old)).isEmpty();
    Map<String, Object> o =
        TestDatabase.query("SELECT triggered_at FROM orders WHERE id = ?", stop).get(0);
    assertThat(((java.sql.Timestamp) o.get("triggered_at")).toInstant()).isEqualTo(trigger.ts());
    LedgerAudit.check(t.portfolioId());
  }

  @Test
  void tradesDroppedWhenTheMatcherFellBehindAreCaughtUpBeforeItGoesOn() {
    String sym = symbol();
    Trader t = trader("10000.00");
    UUID id = limit(t, sym, "BUY", 10, "100");
    List<Trade> burst = new java.util.ArrayList<>();
    // this instance's matcher alone, with a live buffer of one trade: the burst overflows it
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RestingOrderMatcher small =
        new RestingOrderMatcher(prices, service, db, instance(registry), registry, 1);
    matcher.stop();
    small.start();
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> registry.find("papertape.matcher.catchup.passes").counters().size() == 1);
      RestingOrdersIT.sleepMs(5);
      Instant base = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      for (int k = 0; k < 40; k++) {
        // stored by the Flink job and delivered live, one share each, a millisecond apart
        burst.add(store(TradeFixtures.trade(sym, "99.00", 1, base.plusMillis(k))));
      }
      burst.forEach(prices::update);
      await().atMost(Duration.ofSeconds(60)).until(() -> "FILLED".equals(status(id)));
    } finally {
      small.stop();
      matcher.start();
    }
    assertThat(registry.get("papertape.matcher.trades.dropped").counter().count()).isPositive();
    assertThat(
            registry
                .get("papertape.matcher.catchup.passes")
                .tag("reason", "dropped")
                .counter()
                .count())
        .isPositive();
    // the first ten trades of the burst, in their order, as if none had been dropped
    assertThat(fillTrades(id))
        .containsExactlyElementsOf(burst.subList(0, 10).stream().map(Trade::tradeId).toList());
    LedgerAudit.check(t.portfolioId());
  }

  @Test
  void aPassStopsAtItsLimitAndTheNextOneGoesOnWhereItStopped() {
    String sym = symbol();
    Trader t = trader("10000.00");
    UUID id = limit(t, sym, "BUY", 4, "100");
    List<String> trades = new java.util.ArrayList<>();
    for (int k = 0; k < 4; k++) {
      trades.add(stored(sym, "99.00", 1).tradeId());
    }
    RestingOrderCatchUp limited =
        new RestingOrderCatchUp(
            new CatchUpQueries(db),
            service,
            new CatchUpProperties(null, 1, 2),
            clock,
            new SimpleMeterRegistry());
    List<RestingOrderCatchUp.Summary> passes = new java.util.ArrayList<>();
    for (int i = 0; i < 10 && !"FILLED".equals(status(id)); i++) {
      passes.add(pass(limited));
    }
    assertThat(status(id)).isEqualTo("FILLED");
    assertThat(passes).hasSizeGreaterThanOrEqualTo(2).allMatch(p -> p.offered() <= 2);
    assertThat(passes.get(0).truncated()).isTrue();
    assertThat(fillTrades(id)).containsExactlyElementsOf(trades);
    LedgerAudit.check(t.portfolioId());
  }
}
