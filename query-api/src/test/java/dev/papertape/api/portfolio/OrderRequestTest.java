package dev.papertape.api.portfolio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.papertape.ledger.Side;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.springframework.web.ErrorResponseException;

/** Trade bodies: validation, the canonical hash, and totality on hostile input (fixed seed). */
class OrderRequestTest {
  static final String VALID =
      "{\"symbol\":\"AAPL\",\"side\":\"BUY\",\"quantity\":10,\"type\":\"LIMIT\","
          + "\"limitPrice\":187.5,\"timeInForce\":\"GTC\"}";

  private static String parameter(String body) {
    try {
      OrderRequest.parse(body);
    } catch (ErrorResponseException e) {
      assertThat(e.getStatusCode().value()).isEqualTo(400);
      return (String) e.getBody().getProperties().get("parameter");
    }
    throw new AssertionError("accepted: " + body);
  }

  @Test
  void parsesAValidOrderExactly() {
    OrderRequest r = OrderRequest.parse(VALID);
    assertThat(r.side()).isEqualTo(Side.BUY);
    assertThat(r.quantity()).isEqualTo(10);
    assertThat(r.type()).isEqualTo(OrderType.LIMIT);
    assertThat(r.limitPrice()).isEqualTo("187.5");
    assertThat(r.timeInForce()).isEqualTo(TimeInForce.GTC);
    OrderRequest market =
        OrderRequest.parse(
            "{\"symbol\":\"AAPL\",\"side\":\"sell\",\"quantity\":1,\"type\":\"MARKET\"}");
    assertThat(market.timeInForce()).isEqualTo(TimeInForce.DAY);
    assertThat(market.limitPrice()).isNull();
  }

  @Test
  void theHashIgnoresSpellingButNotMeaning() {
    String respelled =
        "{ \"timeInForce\": \"gtc\", \"limitPrice\": 187.50000, \"type\": \"limit\","
            + " \"quantity\": 10, \"side\": \"buy\", \"symbol\": \"AAPL\" }";
    assertThat(OrderRequest.parse(respelled).hash()).isEqualTo(OrderRequest.parse(VALID).hash());
    assertThat(OrderRequest.parse(VALID.replace("187.5", "187.51")).hash())
        .isNotEqualTo(OrderRequest.parse(VALID).hash());
    assertThat(OrderRequest.parse(VALID).hash()).matches("[0-9a-f]{64}");
  }

  @Test
  void namesTheFieldInError() {
    assertThat(parameter(VALID.replace("\"BUY\"", "\"HOLD\""))).isEqualTo("side");
    assertThat(parameter(VALID.replace("10,", "-1,"))).isEqualTo("quantity");
    assertThat(parameter(VALID.replace("10,", "1e3,"))).isEqualTo("quantity");
    assertThat(parameter(VALID.replace("187.5", "10000000000"))).isEqualTo("limitPrice");
    assertThat(parameter(VALID.replace("187.5", "\"187.5\""))).isEqualTo("limitPrice");
    assertThat(parameter(VALID.replace("GTC", "FOK"))).isEqualTo("timeInForce");
    assertThat(parameter(VALID.replace("GTC", "WEEK"))).isEqualTo("timeInForce");
    assertThat(parameter(VALID.replace("LIMIT", "STOP"))).isEqualTo("limitPrice");
    assertThat(parameter(VALID + " {}")).isEqualTo("body");
    assertThat(parameter("{\"symbol\":1}")).isEqualTo("symbol");
    assertThat(parameter("x".repeat(5000))).isEqualTo("body");
  }

  @Test
  void idempotencyKeys() {
    assertThat(OrderRequest.idempotencyKey(null)).isNull();
    assertThat(OrderRequest.idempotencyKey("a b~1")).isEqualTo("a b~1");
    assertThat(OrderRequest.idempotencyKey("k".repeat(128))).hasSize(128);
    for (String bad : new String[] {"", "k".repeat(129), "tab\there", "é"}) {
      assertThatThrownBy(() -> OrderRequest.idempotencyKey(bad))
          .isInstanceOf(ErrorResponseException.class);
    }
  }

  /** Any mutation of a valid body parses or is a 400 problem: nothing else escapes. */
  @Test
  void hostileBodiesAreParsedOrRefusedNeverAnotherError() {
    SplittableRandom r = new SplittableRandom(15);
    String alphabet = "{}[]\":,.-+eE0123456789 abcAPLBUYSELMRKTIOCnul\\\u0000\u00e9";
    int accepted = 0;
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder(VALID);
      int edits = 1 + r.nextInt(4);
      for (int k = 0; k < edits; k++) {
        int at = r.nextInt(b.length() + 1);
        switch (r.nextInt(3)) {
          case 0 -> b.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
          case 1 -> {
            if (at < b.length()) {
              b.deleteCharAt(at);
            }
          }
          default -> {
            if (at < b.length()) {
              b.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
            }
          }
        }
      }
      try {
        OrderRequest.parse(b.toString()).hash();
        accepted++;
      } catch (ErrorResponseException e) {
        assertThat(e.getStatusCode().value()).as(b.toString()).isEqualTo(400);
        assertThat(e.getBody().getProperties()).as(b.toString()).containsKey("parameter");
      }
    }
    assertThat(accepted).isGreaterThan(100);
  }
}
