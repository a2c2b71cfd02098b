package dev.papertape.api.portfolio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.papertape.api.RealInfrastructure;
import dev.papertape.api.security.TestUsers;
import dev.papertape.testing.TestDatabase;
import dev.papertape.testing.TradeFixtures;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The paper portfolio over HTTP on the real test TimescaleDB and Kafka, as users authenticated by
 * HTTP Basic: exact fills (10 bps slippage, 0.01/share commission with a 1.00 minimum), rules,
 * idempotency, isolation between users, and nothing stored on any refused request.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "papertape.portfolio.slippage-bps=10",
      "papertape.portfolio.commission-per-share=0.01",
      "papertape.portfolio.commission-min=1.00",
      "papertape.portfolio.max-price-age=60s"
    })
@AutoConfigureWebTestClient
class PortfolioIT {
  static final RealInfrastructure INFRA = new RealInfrastructure();
  static final String PW = "paper-trader-pw";
  static final String SYM = TradeFixtures.uniqueSymbol("P");
  static final String OLD = TradeFixtures.uniqueSymbol("O");
  static final String T = "https://papertape.dev/problems/";
  static final ObjectMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

  @Autowired WebTestClient client;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry r) {
    INFRA.register(r);
  }

  @BeforeAll
  static void market() {
    TestDatabase.execute(
        "INSERT INTO symbols (symbol, name) VALUES ('"
            + SYM
            + "', 'Paper Corp'), ('"
            + OLD
            + "', 'Old Corp')",
        "INSERT INTO trades (ts, symbol, trade_id, price, size, source) VALUES"
            + " (now() - interval '1 hour', '"
            + SYM
            + "', 'p0', 90.00, 1, 'test'),"
            + " (now() - interval '1 second', '"
            + SYM
            + "', 'p1', 100.00, 1, 'test'),"
            + " (now() - interval '10 minutes', '"
            + OLD
            + "', 'o1', 50.00, 1, 'test')");
  }

  record Answer(int status, JsonNode body, HttpHeaders headers) {
    String type() {
      return body.path("type").asText();
    }

    BigDecimal dec(String field) {
      return body.get(field).decimalValue();
    }
  }

  static String user() {
    String name = TestUsers.uniqueName("trader");
    TestUsers.create(name, PW);
    return name;
  }

  Answer call(String user, HttpMethod method, String uri, String body, String key) {
    WebTestClient.RequestBodySpec spec =
        client
            .method(method)
            .uri(uri)
            .headers(
                h -> {
                  if (user != null) {
                    h.setBasicAuth(user, PW);
                  }
                  if (key != null) {
                    h.set("Idempotency-Key", key);
                  }
                });
    WebTestClient.ResponseSpec rs =
        body == null
            ? spec.exchange()
            : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    EntityExchangeResult<String> r = rs.expectBody(String.class).returnResult();
    JsonNode json;
    try {
      json = r.getResponseBody() == null ? JSON.nullNode() : JSON.readTree(r.getResponseBody());
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + r.getResponseBody(), e);
    }
    return new Answer(r.getStatus().value(), json, r.getResponseHeaders());
  }

  Answer post(String user, String uri, String body) {
    return call(user, HttpMethod.POST, uri, body, null);
  }

  Answer get(String user, String uri) {
    return call(user, HttpMethod.GET, uri, null, null);
  }

  Answer trade(String user, String body, String key) {
    return call(user, HttpMethod.POST, "/portfolio/trade", body, key);
  }

  static String market(String side, long qty) {
    return "{\"symbol\":\""
        + SYM
        + "\",\"side\":\""
        + side
        + "\",\"quantity\":"
        + qty
        + ",\"type\":\"MARKET\",\"timeInForce\":\"DAY\"}";
  }

  static long portfolioId(String user) {
    return ((Number)
            TestDatabase.query(
                    "SELECT p.id FROM portfolios p JOIN users u ON u.id = p.user_id WHERE u.name = ?",
                    user)
                .get(0)
                .get("id"))
        .longValue();
  }

  /** Rows the user has in every ledger table: a refused request must leave these unchanged. */
  static List<Long> footprint(String user) {
    Map<String, Object> r =
        TestDatabase.query(
                "SELECT (SELECT count(*) FROM portfolios p JOIN users u ON u.id = p.user_id"
                    + "  WHERE u.name = ?) AS portfolios,"
                    + " (SELECT count(*) FROM orders o JOIN portfolios p ON p.id = o.portfolio_id"
                    + "  JOIN users u ON u.id = p.user_id WHERE u.name = ?) AS orders,"
                    + " (SELECT count(*) FROM paper_trades f JOIN portfolios p ON p.id = f.portfolio_id"
                    + "  JOIN users u ON u.id = p.user_id WHERE u.name = ?) AS fills,"
                    + " (SELECT count(*) FROM cash_movements c JOIN portfolios p"
                    + "  ON p.id = c.portfolio_id JOIN users u ON u.id = p.user_id WHERE u.name = ?)"
                    + " AS movements,"
                    + " (SELECT coalesce(sum(quantity), 0) FROM positions s JOIN portfolios p"
                    + "  ON p.id = s.portfolio_id JOIN users u ON u.id = p.user_id WHERE u.name = ?)"
                    + " AS shares,"
                    + " (SELECT coalesce(sum(cash), 0) * 100 FROM portfolios p JOIN users u"
                    + "  ON u.id = p.user_id WHERE u.name = ?) AS cents",
                user,
                user,
                user,
                user,
                user,
                user)
            .get(0);
    return r.values().stream().map(v -> new BigDecimal(v.toString()).longValueExact()).toList();
  }

  @Test
  void initCreatesOnceAndRefusesBadBodiesStoringNothing() {
    String u = user();
    for (String bad :
        List.of(
            "{\"startingCash\":0.99}",
            "{\"startingCash\":1.001}",
            "{\"startingCash\":1000000000000.01}",
            "{\"startingCash\":\"1000\"}",
            "{\"startingCash\":1e400}",
            "{\"cash\":1000}",
            "[1000]",
            "{\"startingCash\":1000",
            "{\"startingCash\":1,\"startingCash\":2}")) {
      Answer a = post(u, "/portfolio/init", bad);
      assertThat(a.status()).as(bad).isEqualTo(400);
      assertThat(a.type()).isEqualTo(T + "invalid-parameter");
      assertThat(a.body().has("parameter")).as(bad).isTrue();
    }
    assertThat(footprint(u)).containsExactly(0L, 0L, 0L, 0L, 0L, 0L);

    Answer first = post(u, "/portfolio/init", "{\"startingCash\": 2500.50}");
    assertThat(first.status()).isEqualTo(201);
    assertThat(first.dec("cash")).isEqualByComparingTo("2500.50");
    assertThat(first.dec("totalValue")).isEqualByComparingTo("2500.50");
    assertThat(first.dec("changeToday")).isEqualByComparingTo("0");
    Answer again = post(u, "/portfolio/init", null);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body().get("id").asLong()).isEqualTo(first.body().get("id").asLong());
    assertThat(again.dec("startingCash")).isEqualByComparingTo("2500.50");

    String d = user();
    assertThat(post(d, "/portfolio/init", "").status()).isEqualTo(201);
    assertThat(get(d, "/portfolio").dec("cash")).isEqualByComparingTo("100000.00");
  }

  @Test
  void marketOrdersFillAtTheLatestPriceWithSlippageAndCommissionExactly() {
    String u = user();
    post(u, "/portfolio/init", "{\"startingCash\": 10000}");
    // 100.00 + 10 bps = 100.10; gross 15 × 100.10 = 1501.50; commission max(0.15, 1.00) = 1.00
    Answer buy = trade(u, market("BUY", 15), null);
    assertThat(buy.status()).as(buy.body().toString()).isEqualTo(201);
    assertThat(buy.body().get("status").asText()).isEqualTo("FILLED");
    assertThat(buy.body().get("filledQuantity").asLong()).isEqualTo(15);
    JsonNode fill = buy.body().get("fills").get(0);
    assertThat(fill.get("marketPrice").decimalValue()).isEqualByComparingTo("100");
    assertThat(fill.get("marketTradeId").asText()).isEqualTo("p1");
    assertThat(fill.get("price").decimalValue()).isEqualByComparingTo("100.10");
    assertThat(fill.get("slippage").decimalValue()).isEqualByComparingTo("0.10");
    assertThat(fill.get("gross").decimalValue()).isEqualByComparingTo("1501.50");
    assertThat(fill.get("commission").decimalValue()).isEqualByComparingTo("1.00");
    assertThat(fill.get("cashDelta").decimalValue()).isEqualByComparingTo("-1502.50");
    assertThat(fill.get("cashAfter").decimalValue()).isEqualByComparingTo("8497.50");

    // 150 shares: commission 1.50 (above the minimum); sell at 100 − 0.10 = 99.90
    Answer sell = trade(u, market("SELL", 5), null);
    assertThat(sell.status()).isEqualTo(201);
    JsonNode sf = sell.body().get("fills").get(0);
    assertThat(sf.get("price").decimalValue()).isEqualByComparingTo("99.90");
    assertThat(sf.get("gross").decimalValue()).isEqualByComparingTo("499.50");
    assertThat(sf.get("realisedPnl").decimalValue()).isEqualByComparingTo("-1.00");
    assertThat(sf.get("cashDelta").decimalValue()).isEqualByComparingTo("498.50");

    Answer pf = get(u, "/portfolio");
    assertThat(pf.status()).isEqualTo(200);
    assertThat(pf.dec("cash")).isEqualByComparingTo("8996.00");
    assertThat(pf.dec("realisedPnl")).isEqualByComparingTo("-1.00");
    assertThat(pf.dec("commissions")).isEqualByComparingTo("2.00");
    JsonNode pos = pf.body().get("positions").get(0);
    assertThat(pos.get("symbol").asText()).isEqualTo(SYM);
    assertThat(pos.get("quantity").asLong()).isEqualTo(10);
    assertThat(pos.get("avgCost").decimalValue()).isEqualByComparingTo("100.10");
    assertThat(pos.get("lastPrice").decimalValue()).isEqualByComparingTo("100");
    assertThat(pos.get("marketValue").decimalValue()).isEqualByComparingTo("1000.00");
    assertThat(pos.get("unrealisedPnl").decimalValue()).isEqualByComparingTo("-1.00");
    assertThat(pf.dec("totalValue")).isEqualByComparingTo("9996.00");
    assertThat(pf.dec("changeToday")).isEqualByComparingTo("-4.00");

    Answer history = get(u, "/portfolio/history?limit=1");
    assertThat(history.body()).hasSize(1);
    assertThat(history.body().get(0).get("side").asText()).isEqualTo("SELL");
    assertThat(history.headers().getFirst(HttpHeaders.LINK)).contains("before=");
    LedgerAudit.check(portfolioId(u));
  }

  @Test
  void aRepeatedIdempotencyKeyReturnsTheFirstResultAndNeverFillsTwice() {
    String u = user();
    post(u, "/portfolio/init", null);
    Answer first = trade(u, market("BUY", 3), "order-1");
    assertThat(first.status()).isEqualTo(201);
    String id = first.body().get("id").asText();
    // the same order, spelled differently
    Answer again =
        trade(
            u,
            "{ \"type\": \"market\", \"quantity\": 3, \"side\": \"buy\", \"symbol\": \""
                + SYM.toLowerCase(java.util.Locale.ROOT)
                + "\" }",
            "order-1");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body().get("id").asText()).isEqualTo(id);
    assertThat(again.body().get("fills")).hasSize(1);
    List<Long> before = footprint(u);
    Answer other = trade(u, market("BUY", 4), "order-1");
    assertThat(other.status()).isEqualTo(422);
    assertThat(other.type()).isEqualTo(T + "idempotency-key-reused");
    Answer badKey = trade(u, market("BUY", 4), "x".repeat(129));
    assertThat(badKey.status()).isEqualTo(400);
    assertThat(badKey.body().get("parameter").asText()).isEqualTo("Idempotency-Key");
    assertThat(footprint(u)).isEqualTo(before);
    assertThat(
            TestDatabase.query(
                "SELECT count(*) AS n FROM paper_trades WHERE order_id = ?::uuid", id))
        .first()
        .satisfies(r -> assertThat(((Number) r.get("n")).longValue()).isEqualTo(1));
  }

  @Test
  void aStalePriceIsAConflictAndStoresNothing() {
    String u = user();
    post(u, "/portfolio/init", null);
    List<Long> before = footprint(u);
    Answer a =
        trade(
            u,
            "{\"symbol\":\"" + OLD + "\",\"side\":\"BUY\",\"quantity\":1,\"type\":\"MARKET\"}",
            null);
    assertThat(a.status()).isEqualTo(409);
    assertThat(a.type()).isEqualTo(T + "stale-price");
    assertThat(footprint(u)).isEqualTo(before);
  }

  @Test
  void insufficientCashOrPositionIsRefusedAndStoresNothing() {
    String u = user();
    post(u, "/portfolio/init", "{\"startingCash\": 1000}");
    List<Long> before = footprint(u);
    // 10 × 100.10 + 1.00 = 1002.00 > 1000
    Answer cash = trade(u, market("BUY", 10), "k1");
    assertThat(cash.status()).isEqualTo(422);
    assertThat(cash.type()).isEqualTo(T + "insufficient-cash");
    Answer pos = trade(u, market("SELL", 1), "k2");
    assertThat(pos.status()).isEqualTo(422);
    assertThat(pos.type()).isEqualTo(T + "insufficient-position");
    assertThat(footprint(u)).isEqualTo(before);
    // 9 × 100.10 + 1.00 = 901.90 fits; the refused key is free to use again
    assertThat(trade(u, market("BUY", 9), "k1").status()).isEqualTo(201);
    assertThat(get(u, "/portfolio").dec("cash")).isEqualByComparingTo("98.10");
    assertThat(trade(u, market("SELL", 10), null).type()).isEqualTo(T + "insufficient-position");
    LedgerAudit.check(portfolioId(u));
  }

  @Test
  void everyBadTradeBodyIsAProblemAndStoresNothing() {
    String u = user();
    post(u, "/portfolio/init", null);
    List<Long> before = footprint(u);
    String s = "\"symbol\":\"" + SYM + "\",";
    Map<String, String> bad =
        Map.ofEntries(
            Map.entry("{\"side\":\"BUY\",\"quantity\":1,\"type\":\"MARKET\"}", "symbol"),
            Map.entry("{" + s + "\"side\":\"HOLD\",\"quantity\":1,\"type\":\"MARKET\"}", "side"),
            Map.entry("{" + s + "\"side\":\"BUY\",\"quantity\":0,\"type\":\"MARKET\"}", "quantity"),
            Map.entry(
                "{" + s + "\"side\":\"BUY\",\"quantity\":1.5,\"type\":\"MARKET\"}", "quantity"),
            Map.entry(
                "{" + s + "\"side\":\"BUY\",\"quantity\":\"1\",\"type\":\"MARKET\"}", "quantity"),
            Map.entry(
                "{" + s + "\"side\":\"BUY\",\"quantity\":1000000001,\"type\":\"MARKET\"}",
                "quantity"),
            Map.entry("{" + s + "\"side\":\"BUY\",\"quantity\":1}", "type"),
            Map.entry(
                "{" + s + "\"side\":\"BUY\",\"quantity\":1,\"type\":\"LIMIT\"}", "limitPrice"),
            Map.entry(
                "{" + s + "\"side\":\"BUY\",\"quantity\":1,\"type\":\"MARKET\",\"limitPrice\":1}",
                "limitPrice"),
            Map.entry(
                "{" + s + "\"side\":\"BUY\",\"quantity\":1,\"type\":\"LIMIT\",\"limitPrice\":0}",
                "limitPrice"),
            Map.entry(
                "{"
                    + s
                    + "\"side\":\"BUY\",\"quantity\":1,\"type\":\"LIMIT\","
                    + "\"limitPrice\":1.123456789}",
                "limitPrice"),
            Map.entry(
                "{"
                    + s
                    + "\"side\":\"BUY\",\"quantity\":1,\"type\":\"STOP_LIMIT\","
                    + "\"limitPrice\":1}",
                "stopPrice"),
            Map.entry(
                "{"
                    + s
                    + "\"side\":\"BUY\",\"quantity\":1,\"type\":\"LIMIT\",\"limitPrice\":1,"
                    + "\"timeInForce\":\"IOC\"}",
                "timeInForce"),
            Map.entry(
                "{" + s + "\"side\":\"BUY\",\"quantity\":1,\"type\":\"MARKET\",\"price\":1}",
                "price"),
            Map.entry("not json", "body"),
            Map.entry("[]", "body"),
            Map.entry("", "symbol"));
    bad.forEach(
        (body, field) -> {
          Answer a = trade(u, body, null);
          assertThat(a.status()).as(body).isEqualTo(400);
          assertThat(a.type()).as(body).isEqualTo(T + "invalid-parameter");
          assertThat(a.body().get("parameter").asText()).as(body).isEqualTo(field);
        });
    Answer unknown =
        trade(
            u, "{\"symbol\":\"NOPE1\",\"side\":\"BUY\",\"quantity\":1,\"type\":\"MARKET\"}", null);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.type()).isEqualTo(T + "unknown-symbol");
    assertThat(footprint(u)).isEqualTo(before);
  }

  @Test
  void usersAreIsolatedAndCredentialsAreRequired() {
    String alice = user();
    String bob = user();
    post(alice, "/portfolio/init", null);
    Answer order =
        trade(
            alice,
            "{\"symbol\":\""
                + SYM
                + "\",\"side\":\"BUY\",\"quantity\":1,\"type\":\"LIMIT\","
                + "\"limitPrice\":95.5,\"timeInForce\":\"GTC\"}",
            null);
    assertThat(order.status()).isEqualTo(201);
    String id = order.body().get("id").asText();
    assertThat(get(bob, "/portfolio").type()).isEqualTo(T + "no-portfolio");
    post(bob, "/portfolio/init", null);
    assertThat(get(bob, "/portfolio/orders/" + id).status()).isEqualTo(404);
    assertThat(get(bob, "/portfolio/orders/" + id).type()).isEqualTo(T + "order-not-found");
    assertThat(call(bob, HttpMethod.DELETE, "/portfolio/orders/" + id, null, null).status())
        .isEqualTo(404);
    assertThat(get(bob, "/portfolio/orders").body()).isEmpty();
    assertThat(get(null, "/portfolio").status()).isEqualTo(401);
    assertThat(get(alice, "/portfolio/orders/" + id).body().get("status").asText())
        .isEqualTo("ACCEPTED");
  }

  @Test
  void restingOrdersAreAcceptedAndCanBeCanceledOnce() {
    String u = user();
    post(u, "/portfolio/init", null);
    Answer limit =
        trade(
            u,
            "{\"symbol\":\""
                + SYM
                + "\",\"side\":\"BUY\",\"quantity\":7,\"type\":\"STOP_LIMIT\","
                + "\"limitPrice\":101.25,\"stopPrice\":101.00}",
            null);
    assertThat(limit.status()).isEqualTo(201);
    assertThat(limit.body().get("status").asText()).isEqualTo("ACCEPTED");
    assertThat(limit.body().get("timeInForce").asText()).isEqualTo("DAY");
    assertThat(limit.body().get("expiresAt").asText()).endsWith("T00:00:00.000Z");
    assertThat(limit.dec("limitPrice")).isEqualByComparingTo("101.25");
    String id = limit.body().get("id").asText();
    Answer canceled = call(u, HttpMethod.DELETE, "/portfolio/orders/" + id, null, null);
    assertThat(canceled.status()).isEqualTo(200);
    assertThat(canceled.body().get("status").asText()).isEqualTo("CANCELED");
    Answer twice = call(u, HttpMethod.DELETE, "/portfolio/orders/" + id, null, null);
    assertThat(twice.status()).isEqualTo(409);
    assertThat(twice.type()).isEqualTo(T + "order-not-cancelable");
    String filled = trade(u, market("BUY", 1), null).body().get("id").asText();
    assertThat(call(u, HttpMethod.DELETE, "/portfolio/orders/" + filled, null, null).status())
        .isEqualTo(409);
    assertThat(get(u, "/portfolio/orders/not-a-uuid").status()).isEqualTo(404);

    Answer all = get(u, "/portfolio/orders?limit=1");
    assertThat(all.body()).hasSize(1);
    assertThat(all.body().get(0).get("id").asText()).isEqualTo(filled);
    String next = all.headers().getFirst(HttpHeaders.LINK);
    assertThat(next).contains("after=" + filled);
    Answer page2 = get(u, next.substring(1, next.indexOf('>')));
    assertThat(page2.body().get(0).get("id").asText()).isEqualTo(id);
    assertThat(get(u, "/portfolio/orders?status=canceled").body()).hasSize(1);
    assertThat(get(u, "/portfolio/orders?status=nope").status()).isEqualTo(400);
    assertThat(get(u, "/portfolio/orders?limit=0").status()).isEqualTo(400);
  }

  @Test
  void resetStartsANewEpoch() {
    String u = user();
    post(u, "/portfolio/init", "{\"startingCash\": 5000}");
    trade(u, market("BUY", 2), null);
    Answer r = post(u, "/portfolio/reset", "{\"startingCash\": 750.25}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().get("epoch").asInt()).isEqualTo(2);
    assertThat(r.dec("cash")).isEqualByComparingTo("750.25");
    assertThat(r.body().get("positions")).isEmpty();
    assertThat(get(u, "/portfolio/history").body()).isEmpty();
    LedgerAudit.check(portfolioId(u));
    assertThat(post(user(), "/portfolio/reset", null).type()).isEqualTo(T + "no-portfolio");
  }
}
