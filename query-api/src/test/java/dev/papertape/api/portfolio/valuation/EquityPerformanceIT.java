package dev.papertape.api.portfolio.valuation;

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
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * {@code GET /portfolio/equity} and {@code GET /portfolio/performance} over HTTP, as users
 * authenticated by HTTP Basic, on the real test TimescaleDB: snapshots and fills inserted directly
 * (a hand-computed fixture), the API's clock fixed at the end of it, so every figure is exact. Only
 * the current epoch counts; another user's data never shows; bad parameters are 400 problems.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class EquityPerformanceIT {
  static final RealInfrastructure INFRA = new RealInfrastructure();
  static final String PW = "equity-pw";
  static final String T = "https://papertape.dev/problems/";
  static final ObjectMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

  /** The start of the current epoch (the reset). */
  static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");

  /** The API's now: four days after the reset. */
  static final Instant NOW = T0.plus(Duration.ofDays(4));

  static final String SYM = TradeFixtures.uniqueSymbol("EQ");
  static final String LOSER = TradeFixtures.uniqueSymbol("EL");

  static String trader;
  static String other;
  static String sampled;

  @TestConfiguration
  static class FixedClock {
    @Bean
    @Primary
    Clock fixedClock() {
      return Clock.fixed(NOW, ZoneOffset.UTC);
    }
  }

  @Autowired WebTestClient client;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry r) {
    INFRA.register(r);
  }

  static Timestamp at(Duration sinceT0) {
    return Timestamp.from(T0.plus(sinceT0));
  }

  static long portfolio(String user, String startingCash, String cash, int epoch) {
    long id = TestUsers.create(user, PW);
    return ((Number)
            TestDatabase.query(
                    "INSERT INTO portfolios (user_id, starting_cash, cash, epoch, created_at,"
                        + " reset_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                    id,
                    new BigDecimal(startingCash),
                    new BigDecimal(cash),
                    epoch,
                    at(Duration.ofDays(-3)),
                    at(Duration.ZERO))
                .get(0)
                .get("id"))
        .longValue();
  }

  static void snapshot(long portfolio, int epoch, Duration at, String cash, String positions) {
    BigDecimal c = new BigDecimal(cash);
    BigDecimal p = new BigDecimal(positions);
    TestDatabase.query(
        "INSERT INTO portfolio_snapshots (ts, portfolio_id, epoch, cash, positions_value,"
            + " total_value, open_positions) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING ts",
        at(at),
        portfolio,
        epoch,
        c,
        p,
        c.add(p),
        p.signum() == 0 ? 0 : 1);
  }

  static void fill(
      long portfolio,
      int epoch,
      String symbol,
      String side,
      long qty,
      String price,
      String realized,
      String commission,
      Duration at) {
    UUID order = UUID.randomUUID();
    TestDatabase.query(
        "INSERT INTO orders (id, portfolio_id, epoch, request_hash, symbol, side, type,"
            + " time_in_force, quantity, status, filled_quantity)"
            + " VALUES (?, ?, ?, 'h', ?, ?, 'MARKET', 'DAY', ?, 'FILLED', ?) RETURNING id",
        order,
        portfolio,
        epoch,
        symbol,
        side,
        qty,
        qty);
    BigDecimal gross = new BigDecimal(price).multiply(BigDecimal.valueOf(qty));
    TestDatabase.query(
        "INSERT INTO paper_trades (order_id, portfolio_id, epoch, symbol, side, quantity,"
            + " market_trade_ts, market_trade_id, market_price, slippage, price, gross,"
            + " commission, cash_delta, realized_pnl, position_after, cash_after, filled_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, 't', ?, 0, ?, ?, ?, 0, ?, 0, 0, ?) RETURNING id",
        order,
        portfolio,
        epoch,
        symbol,
        side,
        qty,
        at(at),
        new BigDecimal(price),
        new BigDecimal(price),
        gross,
        new BigDecimal(commission),
        new BigDecimal(realized),
        at(at));
  }

  @BeforeAll
  static void fixture() {
    Duration day = Duration.ofDays(1);
    Duration hour = Duration.ofHours(1);

    // the trader: epoch 2 (reset at T0 with 1000.00); now 820.00 cash and 2 SYM
    trader = TestUsers.uniqueName("equity");
    long p = portfolio(trader, "1000.00", "820.00", 2);
    // the previous epoch: never counted
    snapshot(p, 1, day.negated(), "5000.00", "0.00");
    fill(p, 1, SYM, "BUY", 1, "10.00", "0.00", "9.00", day.negated().plus(hour));
    // V: 1000.00 (T0, the reset), 1010.00, 999.90, 1020.00, then 1030.20 now
    snapshot(p, 2, day, "800.00", "210.00");
    snapshot(p, 2, day.multipliedBy(2), "800.00", "199.90");
    snapshot(p, 2, day.multipliedBy(3), "1020.00", "0.00");
    // SYM: a round trip of +20.00 - 2 × 1.00 = +18.00, then open again
    fill(p, 2, SYM, "BUY", 2, "100.00", "0.00", "1.00", hour.multipliedBy(12));
    fill(p, 2, LOSER, "BUY", 1, "50.00", "0.00", "0.50", hour.multipliedBy(36));
    // LOSER: -5.00 - 2 × 0.50 = -6.00
    fill(p, 2, LOSER, "SELL", 1, "45.00", "-5.00", "0.50", hour.multipliedBy(52));
    fill(p, 2, SYM, "SELL", 2, "110.00", "20.00", "1.00", hour.multipliedBy(60));
    fill(p, 2, SYM, "BUY", 2, "105.00", "0.00", "1.00", hour.multipliedBy(84));
    TestDatabase.execute(
        "INSERT INTO symbols (symbol, name) VALUES ('" + SYM + "', 'Equity Corp')",
        "INSERT INTO positions (portfolio_id, symbol, quantity, avg_cost) VALUES ("
            + p
            + ", '"
            + SYM
            + "', 2, 105.00)");
    // the latest trade at the API's now: 2 × 105.10 = 210.20, the trade after it is in the future
    TestDatabase.query(
        "INSERT INTO trades (ts, symbol, trade_id, price, size, source) VALUES"
            + " (?, ?, 'q1', 105.10, 1, 'test'), (?, ?, 'q2', 999.00, 1, 'test') RETURNING ts",
        Timestamp.from(NOW.minus(hour)),
        SYM,
        Timestamp.from(NOW.plus(hour)),
        SYM);

    // another user with snapshots at the same times
    other = TestUsers.uniqueName("equity");
    long o = portfolio(other, "7000.00", "7777.77", 2);
    for (int d = 1; d <= 3; d++) {
      snapshot(o, 2, day.multipliedBy(d), "7777.77", "0.00");
    }
    fill(o, 2, SYM, "BUY", 1, "1.00", "0.00", "0.00", hour);

    // for downsampling: 100.00 (00:10), 101.00 (00:50), 102.00 (01:05), 103.00 (next day)
    sampled = TestUsers.uniqueName("equity");
    long s = portfolio(sampled, "100.00", "100.00", 1);
    snapshot(s, 1, Duration.ofMinutes(10), "100.00", "0.00");
    snapshot(s, 1, Duration.ofMinutes(50), "101.00", "0.00");
    snapshot(s, 1, Duration.ofMinutes(65), "102.00", "0.00");
    snapshot(s, 1, day, "103.00", "0.00");
  }

  /** The status, the body as JSON, and the body as sent (JSON numbers exactly as written). */
  record Answer(int status, JsonNode body, String raw) {
    String type() {
      return body.path("type").asText();
    }
  }

  Answer get(String user, String uri) {
    EntityExchangeResult<String> r =
        client
            .get()
            .uri(uri)
            .headers(
                h -> {
                  if (user != null) {
                    h.setBasicAuth(user, PW);
                  }
                })
            .exchange()
            .expectBody(String.class)
            .returnResult();
    try {
      return new Answer(
          r.getStatus().value(),
          r.getResponseBody() == null ? JSON.nullNode() : JSON.readTree(r.getResponseBody()),
          r.getResponseBody());
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + r.getResponseBody(), e);
    }
  }

  static List<String> totals(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.get("points")
        .forEach(
            // at most 2 decimals (setScale(2) would throw otherwise), shown with 2
            pt ->
                out.add(
                    pt.get("ts").asText()
                        + "="
                        + pt.get("totalValue").decimalValue().setScale(2).toPlainString()));
    return out;
  }

  static void exact(JsonNode node, String field, String expected) {
    assertThat(node.get(field).isNull()).as(field).isFalse();
    assertThat(node.get(field).decimalValue()).as(field).isEqualByComparingTo(expected);
  }

  @Test
  void theEquityCurveIsTheSnapshotsOfTheCurrentEpochOnly() {
    Answer a = get(trader, "/portfolio/equity");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body().get("epoch").asInt()).isEqualTo(2);
    assertThat(totals(a.body()))
        .containsExactly(
            "2026-01-06T00:00:00.000Z=1010.00",
            "2026-01-07T00:00:00.000Z=999.90",
            "2026-01-08T00:00:00.000Z=1020.00");
    JsonNode first = a.body().get("points").get(0);
    exact(first, "cash", "800.00");
    exact(first, "positionsValue", "210.00");
    // amounts are exact JSON numbers to the cent, as written
    assertThat(a.raw())
        .contains("\"cash\":800.00,\"positionsValue\":210.00,\"totalValue\":1010.00");
    assertThat(a.body().get("next").isNull()).isTrue();
    assertThat(a.body().get("limit").asInt()).isEqualTo(5000);

    // the other user's curve is their own
    assertThat(totals(get(other, "/portfolio/equity").body()))
        .containsExactly(
            "2026-01-06T00:00:00.000Z=7777.77",
            "2026-01-07T00:00:00.000Z=7777.77",
            "2026-01-08T00:00:00.000Z=7777.77");
  }

  @Test
  void boundsDownsamplingAndPages() {
    assertThat(totals(get(sampled, "/portfolio/equity?interval=1h").body()))
        .containsExactly(
            "2026-01-05T00:00:00.000Z=101.00",
            "2026-01-05T01:00:00.000Z=102.00",
            "2026-01-06T00:00:00.000Z=103.00");
    Answer daily = get(sampled, "/portfolio/equity?interval=1d");
    assertThat(daily.body().get("interval").asText()).isEqualTo("1d");
    assertThat(totals(daily.body()))
        .containsExactly("2026-01-05T00:00:00.000Z=102.00", "2026-01-06T00:00:00.000Z=103.00");
    assertThat(totals(get(sampled, "/portfolio/equity?interval=5m").body()))
        .containsExactly(
            "2026-01-05T00:10:00.000Z=100.00",
            "2026-01-05T00:50:00.000Z=101.00",
            "2026-01-05T01:05:00.000Z=102.00",
            "2026-01-06T00:00:00.000Z=103.00");
    // [from, to): from inclusive, to exclusive; epoch millis too
    assertThat(
            totals(
                get(
                        sampled,
                        "/portfolio/equity?from=2026-01-05T00:50:00Z&to="
                            + T0.plus(Duration.ofDays(1)).toEpochMilli())
                    .body()))
        .containsExactly("2026-01-05T00:50:00.000Z=101.00", "2026-01-05T01:05:00.000Z=102.00");

    Answer page1 = get(sampled, "/portfolio/equity?limit=2");
    assertThat(totals(page1.body()))
        .containsExactly("2026-01-05T00:10:00.000Z=100.00", "2026-01-05T00:50:00.000Z=101.00");
    String next = page1.body().get("next").asText();
    assertThat(next).isEqualTo("/portfolio/equity?from=2026-01-05T00:50:00.001Z&limit=2");
    Answer page2 = get(sampled, next);
    assertThat(totals(page2.body()))
        .containsExactly("2026-01-05T01:05:00.000Z=102.00", "2026-01-06T00:00:00.000Z=103.00");
    Answer page3 = get(sampled, page2.body().get("next").asText());
    assertThat(page3.body().get("points")).isEmpty();
    assertThat(page3.body().get("next").isNull()).isTrue();

    Answer hourly = get(sampled, "/portfolio/equity?interval=1h&limit=2");
    assertThat(hourly.body().get("next").asText())
        .isEqualTo("/portfolio/equity?from=2026-01-05T02:00:00.000Z&interval=1h&limit=2");
    assertThat(totals(get(sampled, hourly.body().get("next").asText()).body()))
        .containsExactly("2026-01-06T00:00:00.000Z=103.00");
  }

  @Test
  void performanceOfTheHandComputedFixture() {
    Answer a = get(trader, "/portfolio/performance");
    assertThat(a.status()).isEqualTo(200);
    JsonNode s = a.body();
    assertThat(s.get("epoch").asInt()).isEqualTo(2);
    // V: 1000.00 (the reset, T0), 1010.00, 999.90, 1020.00 (snapshots), 1030.20 (now: 820.00 +
    // 2 × 105.10)
    assertThat(s.get("valuations").asInt()).isEqualTo(5);
    assertThat(s.get("from").asText()).isEqualTo("2026-01-05T00:00:00.000Z");
    assertThat(s.get("to").asText()).isEqualTo("2026-01-09T00:00:00.000Z");
    exact(s, "startValue", "1000.00");
    exact(s, "endValue", "1030.20");
    // 1030.20 / 1000.00 - 1
    exact(s, "totalReturn", "0.030200");
    // 1.0302^(365.25 / 4) - 1 = 14.13207996...
    exact(s, "annualizedReturn", "14.132080");
    // peak 1010.00 (day 1), trough 999.90 (day 2): 10.10 / 1010.00
    exact(s.get("maxDrawdown"), "fraction", "0.010000");
    assertThat(s.get("maxDrawdown").get("peakAt").asText()).isEqualTo("2026-01-06T00:00:00.000Z");
    assertThat(s.get("maxDrawdown").get("troughAt").asText()).isEqualTo("2026-01-07T00:00:00.000Z");
    // r = 0.01, -0.01, 1020/999.9 - 1 = 0.0201020102..., 0.01; median spacing 1 day: 365.25
    // intervals a year; mean 0.00752550255, sample sd 0.01389553... (34-digit decimals)
    exact(s, "sharpe", "11.399299");
    // downside deviation sqrt(0.01^2 / 4) = 0.005
    exact(s, "sortino", "28.764751");
    // LOSER -5.00 - 0.50 - 0.50 = -6.00; SYM +20.00 - 1.00 - 1.00 = +18.00; SYM open again
    assertThat(s.get("roundTrips").asInt()).isEqualTo(2);
    exact(s, "winRate", "0.500000");
    exact(s, "profitFactor", "3.000000");
    // invested at day 1, day 2 and now: 3 of 5
    exact(s, "exposure", "0.600000");
    assertThat(s.get("fills").asInt()).isEqualTo(5);
    assertThat(s.get("definitions").get("sharpe").asText()).contains("sqrt(intervals per year)");
  }

  @Test
  void aNewPortfolioHasItsStartingCashAndNoStatisticsYet() {
    String u = TestUsers.uniqueName("equity");
    TestUsers.create(u, PW);
    assertThat(
            client
                .post()
                .uri("/portfolio/init")
                .headers(h -> h.setBasicAuth(u, PW))
                .exchange()
                .returnResult(String.class)
                .getStatus()
                .value())
        .isEqualTo(201);
    JsonNode s = get(u, "/portfolio/performance").body();
    exact(s, "startValue", "100000.00");
    exact(s, "totalReturn", "0");
    assertThat(s.get("fills").asInt()).isZero();
    assertThat(s.get("roundTrips").asInt()).isZero();
    assertThat(s.get("winRate").isNull()).isTrue();
    assertThat(s.get("sharpe").isNull()).isTrue();
    assertThat(get(u, "/portfolio/equity").body().get("points")).isEmpty();
  }

  @Test
  void noCredentialsNoPortfolioAndBadParametersAreProblems() {
    for (String uri : List.of("/portfolio/equity", "/portfolio/performance")) {
      Answer anonymous = get(null, uri);
      assertThat(anonymous.status()).as(uri).isEqualTo(401);
      String nobody = TestUsers.uniqueName("equity");
      TestUsers.create(nobody, PW);
      Answer none = get(nobody, uri);
      assertThat(none.status()).as(uri).isEqualTo(404);
      assertThat(none.type()).isEqualTo(T + "no-portfolio");
    }
    record Bad(String query, String parameter, String detail) {}
    for (Bad bad :
        List.of(
            new Bad("interval=2m", "interval", "'interval' must be 1m, 5m, 1h or 1d, got '2m'."),
            new Bad("from=yesterday", "from", null),
            new Bad("to=2026-13-01T00:00:00Z", "to", null),
            new Bad("limit=0", "limit", null),
            new Bad("limit=5001", "limit", null),
            new Bad("limit=ten", "limit", null),
            new Bad(
                "from=2026-01-06T00:00:00Z&to=2026-01-05T00:00:00Z",
                "from",
                "'from' (2026-01-06T00:00:00Z) must be before 'to' (2026-01-05T00:00:00Z)."))) {
      Answer a = get(trader, "/portfolio/equity?" + bad.query());
      assertThat(a.status()).as(bad.query()).isEqualTo(400);
      assertThat(a.type()).as(bad.query()).isEqualTo(T + "invalid-parameter");
      assertThat(a.body().get("parameter").asText()).as(bad.query()).isEqualTo(bad.parameter());
      if (bad.detail() != null) {
        assertThat(a.body().get("detail").asText()).isEqualTo(bad.detail());
      }
    }
  }
}
