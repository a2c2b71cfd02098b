package dev.papertape.api.portfolio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.api.RealInfrastructure;
import dev.papertape.api.security.TestUsers;
import dev.papertape.testing.TestDatabase;
import dev.papertape.testing.TradeFixtures;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Many parallel requests on one portfolio, over real HTTP on the real test database: the row lock
 * serialises the fills, so cash is spent exactly once (no lost update) and never goes negative, and
 * a repeated Idempotency-Key makes exactly one order however many requests race.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "papertape.portfolio.slippage-bps=10",
      "papertape.portfolio.commission-per-share=0.01",
      "papertape.portfolio.commission-min=1.00"
    })
class LedgerConcurrencyIT {
  static final RealInfrastructure INFRA = new RealInfrastructure();
  static final String SYM = TradeFixtures.uniqueSymbol("C");

  @LocalServerPort int port;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry r) {
    INFRA.register(r);
  }

  @BeforeAll
  static void market() {
    TestDatabase.execute(
        "INSERT INTO symbols (symbol, name) VALUES ('" + SYM + "', 'Race Corp')",
        "INSERT INTO trades (ts, symbol, trade_id, price, size, source) VALUES"
            + " (now() - interval '1 second', '"
            + SYM
            + "', 'c1', 100.00, 1, 'test')");
  }

  record Reply(int status, String body) {}

  private WebClient client(String key) {
    return WebClient.builder()
        .baseUrl("http://127.0.0.1:" + port)
        .defaultHeader("X-Api-Key", key)
        .build();
  }

  private static Mono<Reply> post(WebClient c, String uri, String body, String idempotencyKey) {
    return c.post()
        .uri(uri)
        .headers(
            h -> {
              if (idempotencyKey != null) {
                h.set("Idempotency-Key", idempotencyKey);
              }
            })
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchangeToMono(
            r ->
                r.bodyToMono(String.class)
                    .defaultIfEmpty("")
                    .map(b -> new Reply(r.statusCode().value(), b)));
  }

  private static long portfolioOf(long userId) {
    return ((Number)
            TestDatabase.query("SELECT id FROM portfolios WHERE user_id = ?", userId)
                .get(0)
                .get("id"))
        .longValue();
  }

  @Test
  void hundredParallelBuysWithCashForTenMakeExactlyTenFills() {
    long userId = TestUsers.create(TestUsers.uniqueName("racer"), "race-pw");
    WebClient c = client(TestUsers.createKey(userId));
    // one share costs 100.10 + commission 1.00 = 101.10: cash for exactly 10
    assertThat(post(c, "/portfolio/init", "{\"startingCash\": 1011.00}", null).block().status())
        .isEqualTo(201);
    String buy = "{\"symbol\":\"" + SYM + "\",\"side\":\"BUY\",\"quantity\":1,\"type\":\"MARKET\"}";
    List<Reply> replies =
        Flux.range(0, 100)
            .flatMap(i -> post(c, "/portfolio/trade", buy, null), 100)
            .collectList()
            .block(Duration.ofMinutes(2));
    Map<Integer, Long> byStatus =
        replies.stream().collect(Collectors.groupingBy(Reply::status, Collectors.counting()));
    assertThat(byStatus).as(replies.toString()).containsOnlyKeys(201, 422);
    assertThat(byStatus.get(201)).isEqualTo(10);
    assertThat(replies.stream().filter(r -> r.status() == 422))
        .allMatch(r -> r.body().contains("insufficient-cash"));

    long pid = portfolioOf(userId);
    Map<String, Object> p =
        TestDatabase.query("SELECT cash, commissions FROM portfolios WHERE id = ?", pid).get(0);
    assertThat(new BigDecimal(p.get("cash").toString())).isEqualByComparingTo("0.00");
    assertThat(new BigDecimal(p.get("commissions").toString())).isEqualByComparingTo("10.00");
    List<BigDecimal> after =
        TestDatabase.query(
                "SELECT cash_after FROM paper_trades WHERE portfolio_id = ? ORDER BY id", pid)
            .stream()
            .map(r -> new BigDecimal(r.get("cash_after").toString()))
            .toList();
    assertThat(after).hasSize(10);
    for (int k = 0; k < 10; k++) {
      // each fill saw the cash the previous one left: no lost update, never negative
      assertThat(after.get(k))
          .isEqualByComparingTo(
              new BigDecimal("1011.00")
                  .subtract(new BigDecimal("101.10").multiply(BigDecimal.valueOf(k + 1))));
    }
    assertThat(
            TestDatabase.query("SELECT quantity FROM positions WHERE portfolio_id = ?", pid)
                .get(0)
                .get("quantity"))
        .isEqualTo(10L);
    LedgerAudit.check(pid);
  }

  @Test
  void racingRequestsWithOneIdempotencyKeyMakeExactlyOneOrder() {
    long userId = TestUsers.create(TestUsers.uniqueName("twin"), "twin-pw");
    WebClient c = client(TestUsers.createKey(userId));
    post(c, "/portfolio/init", "{}", null).block();
    String buy = "{\"symbol\":\"" + SYM + "\",\"side\":\"BUY\",\"quantity\":2,\"type\":\"MARKET\"}";
    List<Reply> replies =
        Flux.range(0, 30)
            .flatMap(i -> post(c, "/portfolio/trade", buy, "same-key"), 30)
            .collectList()
            .block(Duration.ofMinutes(2));
    assertThat(replies.stream().filter(r -> r.status() == 201)).hasSize(1);
    assertThat(replies.stream().filter(r -> r.status() == 200)).hasSize(29);
    String id = replies.get(0).body().replaceAll("(?s).*\"id\":\"([0-9a-f-]{36})\".*", "$1");
    assertThat(replies).allMatch(r -> r.body().contains("\"id\":\"" + id + "\""));
    long pid = portfolioOf(userId);
    assertThat(TestDatabase.query("SELECT id FROM orders WHERE portfolio_id = ?", pid)).hasSize(1);
    assertThat(TestDatabase.query("SELECT id FROM paper_trades WHERE portfolio_id = ?", pid))
        .hasSize(1);
    LedgerAudit.check(pid);
  }
}
