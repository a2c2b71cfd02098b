package dev.papertape.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import dev.papertape.api.RealInfrastructure;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The security chain on the real test TimescaleDB, with users and keys made as {@code ./papertape
 * user} makes them (pgcrypto): who gets through to a portfolio route, as whom, and the exact 401 of
 * everyone else. {@code GET /portfolio/whoami} is a test-only route answering {@link CurrentUser}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ExtendWith(OutputCaptureExtension.class)
class SecurityIT {
  static final RealInfrastructure INFRA = new RealInfrastructure();
  static final String UNAUTHORIZED = "https://papertape.dev/problems/unauthorized";
  static final String PASSWORD = "correct horse battery";
  static final String ALICE = TestUsers.uniqueName("alice");
  static final String BOB = TestUsers.uniqueName("bob");
  static final String OFF = TestUsers.uniqueName("off");
  static long aliceId;
  static long bobId;
  static String aliceKey;
  static String revokedKey;
  static String offKey;

  @Autowired WebTestClient client;
  @LocalServerPort int port;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry r) {
    INFRA.register(r);
  }

  @TestConfiguration
  static class WhoAmI {
    @Bean
    RouterFunction<ServerResponse> whoami(CurrentUser users) {
      return route()
          .GET(
              "/portfolio/whoami",
              request ->
                  users
                      .current()
                      .zipWith(request.principal())
                      .flatMap(
                          t ->
                              ServerResponse.ok()
                                  .bodyValue(
                                      Map.of(
                                          "id",
                                          t.getT1().id(),
                                          "name",
                                          t.getT1().name(),
                                          "principal",
                                          t.getT2().getName()))))
          .GET(
              "/whoami-public",
              request ->
                  users
                      .current()
                      .flatMap(u -> ServerResponse.ok().bodyValue(Map.of("name", u.name()))))
          .build();
    }
  }

  @BeforeAll
  static void users() {
    aliceId = TestUsers.create(ALICE, PASSWORD);
    bobId = TestUsers.create(BOB, "another password");
    long offId = TestUsers.create(OFF, PASSWORD, false);
    aliceKey = TestUsers.createKey(aliceId);
    revokedKey = TestUsers.createKey(aliceId);
    TestUsers.revokeKey(revokedKey);
    offKey = TestUsers.createKey(offId);
  }

  static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private Map<String, Object> whoami(String header, String value) {
    return client
        .get()
        .uri("/portfolio/whoami")
        .header(header, value)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
        .returnResult()
        .getResponseBody();
  }

  /** The one 401 answer: problem body, challenge, nothing else to learn. */
  private void assertUnauthorized(WebTestClient.ResponseSpec response, String path) {
    response
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"papertape\"")
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo(UNAUTHORIZED)
        .jsonPath("$.title")
        .isEqualTo("Unauthorized")
        .jsonPath("$.status")
        .isEqualTo(401)
        .jsonPath("$.instance")
        .isEqualTo(path)
        .jsonPath("$.detail")
        .value(d -> assertThat((String) d).contains("X-Api-Key"));
  }

  private void assertRefused(String header, String value) {
    assertUnauthorized(
        client.get().uri("/portfolio/whoami").header(header, value).exchange(),
        "/portfolio/whoami");
  }

  @Test
  void basicWithAPgcryptoHashIsTheUserOfTheRequest() {
    Map<String, Object> me = whoami(HttpHeaders.AUTHORIZATION, basic(ALICE, PASSWORD));
    assertThat(me).containsEntry("name", ALICE).containsEntry("principal", ALICE);
    assertThat(((Number) me.get("id")).longValue()).isEqualTo(aliceId);
    Map<String, Object> bob = whoami(HttpHeaders.AUTHORIZATION, basic(BOB, "another password"));
    assertThat(bob).containsEntry("name", BOB);
    assertThat(((Number) bob.get("id")).longValue()).isEqualTo(bobId);
  }

  @Test
  void anApiKeyIsTheUserItBelongsTo() {
    Map<String, Object> me = whoami(ApiKeys.HEADER, aliceKey);
    assertThat(me).containsEntry("name", ALICE).containsEntry("principal", ALICE);
    assertThat(((Number) me.get("id")).longValue()).isEqualTo(aliceId);
  }

  @Test
  void noCredentialsOnAPortfolioRouteIs401() {
    for (String path : new String[] {"/portfolio/whoami", "/portfolio", "/portfolio/orders/x"}) {
      assertUnauthorized(client.get().uri(path).exchange(), path);
    }
    assertUnauthorized(
        client.post().uri("/portfolio/trade").bodyValue("{}").exchange(), "/portfolio/trade");
    assertUnauthorized(
        client.get().uri("/stream/portfolio").accept(MediaType.TEXT_EVENT_STREAM).exchange(),
        "/stream/portfolio");
    assertUnauthorized(client.get().uri("/ws/portfolio").exchange(), "/ws/portfolio");
  }

  @Test
  void wrongUnknownOrDisabledIs401() {
    assertRefused(HttpHeaders.AUTHORIZATION, basic(ALICE, PASSWORD + "x"));
    assertRefused(HttpHeaders.AUTHORIZATION, basic(ALICE, ""));
    assertRefused(HttpHeaders.AUTHORIZATION, basic(ALICE, "x".repeat(200)));
    assertRefused(HttpHeaders.AUTHORIZATION, basic(BOB, PASSWORD));
    assertRefused(HttpHeaders.AUTHORIZATION, basic(TestUsers.uniqueName("nobody"), PASSWORD));
    assertRefused(HttpHeaders.AUTHORIZATION, basic("Not A Name", PASSWORD));
    assertRefused(HttpHeaders.AUTHORIZATION, basic(OFF, PASSWORD));
  }

  @Test
  void aRevokedUnknownMalformedOrDisabledUsersKeyIs401() {
    assertRefused(ApiKeys.HEADER, revokedKey);
    assertRefused(ApiKeys.HEADER, offKey);
    assertRefused(ApiKeys.HEADER, aliceKey.substring(0, 42) + (aliceKey.endsWith("a") ? "b" : "a"));
    assertRefused(ApiKeys.HEADER, aliceKey.substring(0, 42));
    assertRefused(ApiKeys.HEADER, "");
    assertRefused(ApiKeys.HEADER, "x".repeat(4000));
  }

  @Test
  void aDisabledUserIsRefusedAtOnceAndBackWhenEnabled() {
    String name = TestUsers.uniqueName("flip");
    long id = TestUsers.create(name, PASSWORD);
    String key = TestUsers.createKey(id);
    whoami(ApiKeys.HEADER, key);
    TestUsers.setEnabled(name, false);
    assertRefused(ApiKeys.HEADER, key);
    assertRefused(HttpHeaders.AUTHORIZATION, basic(name, PASSWORD));
    TestUsers.setEnabled(name, true);
    assertThat(whoami(HttpHeaders.AUTHORIZATION, basic(name, PASSWORD)))
        .containsEntry("name", name);
  }

  @Test
  void malformedBasicOrOtherSchemesAre401() {
    assertRefused(HttpHeaders.AUTHORIZATION, "Basic !!!not-base64!!!");
    assertRefused(
        HttpHeaders.AUTHORIZATION,
        "Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes(StandardCharsets.UTF_8)));
    assertRefused(HttpHeaders.AUTHORIZATION, "Bearer abc");
  }

  @Test
  void marketDataAndOperationsArePublicByDefault() {
    client.get().uri("/symbols").exchange().expectStatus().isOk();
    // answered by the API, not the chain (503 while the stream consumers still attach)
    client
        .get()
        .uri("/healthz")
        .exchange()
        .expectStatus()
        .value(status -> assertThat(status).isIn(200, 503));
    client.get().uri("/ping").exchange().expectStatus().isOk();
    client
        .get()
        .uri("/actuator/health")
        .exchange()
        .expectStatus()
        .value(status -> assertThat(status).isIn(200, 503));
    client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
    client.get().uri("/v3/api-docs").exchange().expectStatus().isOk();
    // an unknown public route is still the handler's own 404 problem, not a 401
    client.get().uri("/nothing-here").exchange().expectStatus().isNotFound();
    // with valid credentials a public route answers as before
    client.get().uri("/symbols").header(ApiKeys.HEADER, aliceKey).exchange().expectStatus().isOk();
  }

  @Test
  void theFirewallsRefusalIsAProblemAndAnEncodedPercentPasses() {
    client
        .get()
        .uri(java.net.URI.create("http://localhost:" + port + "/symbols/a%2Fb/price"))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo("https://papertape.dev/problems/rejected-request");
    client
        .get()
        .uri(java.net.URI.create("http://localhost:" + port + "/symbols/%2524%2524/price"))
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo("https://papertape.dev/problems/unknown-symbol");
  }

  @Test
  void presentedCredentialsAreCheckedOnPublicRoutesToo() {
    assertUnauthorized(
        client
            .get()
            .uri("/symbols")
            .header(HttpHeaders.AUTHORIZATION, basic(ALICE, "wrong"))
            .exchange(),
        "/symbols");
  }

  @Test
  void currentUserOnAnAnonymousRequestIsThe401Problem() {
    assertUnauthorized(client.get().uri("/whoami-public").exchange(), "/whoami-public");
    assertThat(
            client
                .get()
                .uri("/whoami-public")
                .header(ApiKeys.HEADER, aliceKey)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
                .returnResult()
                .getResponseBody())
        .containsEntry("name", ALICE);
  }

  @Test
  void healthDetailsStayHiddenFromUsers() {
    client
        .get()
        .uri("/actuator/health")
        .header(HttpHeaders.AUTHORIZATION, basic(ALICE, PASSWORD))
        .exchange()
        .expectStatus()
        .value(status -> assertThat(status).isIn(200, 503))
        .expectBody()
        .jsonPath("$.components.r2dbc.status")
        .exists()
        .jsonPath("$.components.r2dbc.details")
        .doesNotExist();
  }

  @Test
  void neverLogsPasswordsOrKeys(CapturedOutput output) {
    assertRefused(HttpHeaders.AUTHORIZATION, basic(ALICE, "leaky-password-123"));
    whoami(HttpHeaders.AUTHORIZATION, basic(ALICE, PASSWORD));
    whoami(ApiKeys.HEADER, aliceKey);
    assertRefused(ApiKeys.HEADER, revokedKey);
    assertThat(output.getAll())
        .doesNotContain("leaky-password-123")
        .doesNotContain(PASSWORD)
        .doesNotContain(aliceKey)
        .doesNotContain(revokedKey)
        .doesNotContain(basic(ALICE, PASSWORD).substring(6));
  }
}
