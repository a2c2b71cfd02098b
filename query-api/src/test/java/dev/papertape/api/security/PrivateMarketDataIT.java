package dev.papertape.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.api.RealInfrastructure;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * {@code PAPERTAPE_PUBLIC_MARKET_DATA=false}: market data and its streams need credentials too; the
 * operational routes (health, metrics, API docs) stay public.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "papertape.security.public-market-data=false")
@AutoConfigureWebTestClient
class PrivateMarketDataIT {
  static final RealInfrastructure INFRA = new RealInfrastructure();
  static final String NAME = TestUsers.uniqueName("private");
  static final String PASSWORD = "private market data";
  static String key;

  @Autowired WebTestClient client;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry r) {
    INFRA.register(r);
  }

  @BeforeAll
  static void user() {
    key = TestUsers.createKey(TestUsers.create(NAME, PASSWORD));
  }

  @Test
  void marketRoutesNeedCredentials() {
    for (String path :
        new String[] {"/symbols", "/symbols/AAPL/price", "/symbols/AAPL/history", "/metrics"}) {
      client
          .get()
          .uri(path)
          .exchange()
          .expectStatus()
          .isUnauthorized()
          .expectHeader()
          .valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"papertape\"")
          .expectBody()
          .jsonPath("$.type")
          .isEqualTo(SecurityIT.UNAUTHORIZED);
    }
    client
        .get()
        .uri("/stream/trades")
        .accept(MediaType.TEXT_EVENT_STREAM)
        .exchange()
        .expectStatus()
        .isUnauthorized();
    client.get().uri("/ws/stream").exchange().expectStatus().isUnauthorized();
  }

  @Test
  void withCredentialsTheyAnswer() {
    client
        .get()
        .uri("/symbols")
        .header(HttpHeaders.AUTHORIZATION, SecurityIT.basic(NAME, PASSWORD))
        .exchange()
        .expectStatus()
        .isOk();
    client.get().uri("/symbols").header(ApiKeys.HEADER, key).exchange().expectStatus().isOk();
  }

  @Test
  void operationsStayPublic() {
    // answered by the API, not the chain (503 while the stream consumers still attach)
    client
        .get()
        .uri("/healthz")
        .exchange()
        .expectStatus()
        .value(status -> assertThat(status).isIn(200, 503));
    client.get().uri("/ping").exchange().expectStatus().isOk();
    client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
    client.get().uri("/v3/api-docs").exchange().expectStatus().isOk();
  }
}
