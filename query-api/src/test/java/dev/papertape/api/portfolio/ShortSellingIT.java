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
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * With {@code PAPERTAPE_ALLOW_SHORT=true} (no slippage, no commission): a sell may go short up to
 * the short limit (exposure at cost ≤ starting cash), a short can always be covered even when that
 * takes cash negative, and then nothing else that costs cash is accepted.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"papertape.portfolio.allow-short=true", "papertape.portfolio.slippage-bps=0"})
@AutoConfigureWebTestClient
class ShortSellingIT {
  static final RealInfrastructure INFRA = new RealInfrastructure();
  static final String PW = "short-seller-pw";
  static final String T = "https://papertape.dev/problems/";
  static final ObjectMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

  @Autowired WebTestClient client;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry r) {
    INFRA.register(r);
  }

  private JsonNode call(String user, String uri, String body, int status) {
    WebTestClient.RequestHeadersSpec<?> spec =
        body == null
            ? client.get().uri(uri).headers(h -> h.setBasicAuth(user, PW))
            : client
                .post()
                .uri(uri)
                .headers(h -> h.setBasicAuth(user, PW))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body);
    EntityExchangeResult<String> r =
        spec.exchange().expectStatus().isEqualTo(status).expectBody(String.class).returnResult();
    try {
      return JSON.readTree(r.getResponseBody());
    } catch (Exception e) {
      throw new AssertionError(r.getResponseBody(), e);
    }
  }

  private static String order(String symbol, String side, long qty) {
    return "{\"symbol\":\""
        + symbol
        + "\",\"side\":\""
        + side
        + "\",\"quantity\":"
        + qty
        + ",\"type\":\"MARKET\"}";
  }

  private static void price(String symbol, String id, String price) {
    TestDatabase.execute(
        "INSERT INTO trades (ts, symbol, trade_id, price, size, source) VALUES (now(), '"
            + symbol
            + "', '"
            + id
            + "', "
            + price
            + ", 1, 'test')");
  }

  @Test
  void shortWithinTheLimitCoverAlwaysThenOnlyCashRaisingFills() {
    String s = TradeFixtures.uniqueSymbol("S");
    String l = TradeFixtures.uniqueSymbol("L");
    TestDatabase.execute(
        "INSERT INTO symbols (symbol, name) VALUES ('" + s + "', 'Short'), ('" + l + "', 'Long')");
    price(s, "s1", "100");
    price(l, "l1", "50");
    String u = TestUsers.uniqueName("shorter");
    TestUsers.create(u, PW);
    JsonNode p = call(u, "/portfolio/init", "{\"startingCash\": 1000}", 201);
    assertThat(p.get("allowShort").asBoolean()).isTrue();

    call(u, "/portfolio/trade", order(s, "SELL", 5), 201);
    JsonNode tooMuch = call(u, "/portfolio/trade", order(s, "SELL", 6), 422);
    assertThat(tooMuch.get("type").asText()).isEqualTo(T + "short-limit-exceeded");
    JsonNode pf = call(u, "/portfolio", null, 200);
    assertThat(pf.get("cash").decimalValue()).isEqualByComparingTo("1500.00");
    assertThat(pf.get("positions").get(0).get("quantity").asLong()).isEqualTo(-5);
    assertThat(pf.get("positions").get(0).get("marketValue").decimalValue())
        .isEqualByComparingTo("-500.00");
    assertThat(pf.get("totalValue").decimalValue()).isEqualByComparingTo("1000.00");

    call(u, "/portfolio/trade", order(l, "BUY", 30), 201); // cash 0
    price(s, "s2", "300");
    JsonNode cover = call(u, "/portfolio/trade", order(s, "BUY", 5), 201);
    assertThat(cover.get("fills").get(0).get("cashAfter").decimalValue())
        .isEqualByComparingTo("-1500.00");
    assertThat(cover.get("fills").get(0).get("realisedPnl").decimalValue())
        .isEqualByComparingTo("-1000.00");
    JsonNode refused = call(u, "/portfolio/trade", order(l, "BUY", 1), 422);
    assertThat(refused.get("type").asText()).isEqualTo(T + "insufficient-cash");
    call(u, "/portfolio/trade", order(l, "SELL", 30), 201);
    pf = call(u, "/portfolio", null, 200);
    assertThat(pf.get("cash").decimalValue()).isEqualByComparingTo("0.00");
    assertThat(pf.get("realisedPnl").decimalValue()).isEqualByComparingTo("-1000.00");
    assertThat(pf.get("positions")).isEmpty();
    LedgerAudit.check(pf.get("id").asLong());
  }
}
