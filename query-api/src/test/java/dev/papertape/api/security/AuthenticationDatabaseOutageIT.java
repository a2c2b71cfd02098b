package dev.papertape.api.security;

import dev.papertape.api.RealInfrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
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
 * Credentials while the database is out of reach (the R2DBC URL points at a port where nothing
 * listens): they cannot be checked, which is not the client's fault, so the answer is 503 {@code
 * database-unavailable} with {@code Retry-After}, not a 401 that would make a client drop good
 * credentials. A request without credentials still gets its 401 (no database needed).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class AuthenticationDatabaseOutageIT {
  static final RealInfrastructure INFRA = new RealInfrastructure();

  @Autowired WebTestClient client;

  @DynamicPropertySource
  static void outage(DynamicPropertyRegistry r) {
    INFRA.register(r);
    r.add("spring.r2dbc.url", () -> "r2dbc:postgresql://127.0.0.1:" + deadPort() + "/papertape");
    r.add("spring.flyway.enabled", () -> "false");
  }

  private static int deadPort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void unavailable(String header, String value) {
    client
        .mutate()
        .responseTimeout(Duration.ofSeconds(15))
        .build()
        .get()
        .uri("/portfolio")
        .header(header, value)
        .exchange()
        .expectStatus()
        .isEqualTo(503)
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectHeader()
        .valueEquals(HttpHeaders.RETRY_AFTER, "5")
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo("https://papertape.dev/problems/database-unavailable")
        .jsonPath("$.instance")
        .isEqualTo("/portfolio");
  }

  @Test
  void credentialsThatCannotBeCheckedAre503() {
    unavailable(HttpHeaders.AUTHORIZATION, SecurityIT.basic("alice", "some password"));
    unavailable(ApiKeys.HEADER, "pt_" + "a".repeat(40));
  }

  @Test
  void noCredentialsIsStill401() {
    client
        .get()
        .uri("/portfolio")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo(Unauthorized.TYPE.toString());
    // a malformed key is refused without the database
    client
        .get()
        .uri("/portfolio")
        .header(ApiKeys.HEADER, "not-a-key")
        .exchange()
        .expectStatus()
        .isUnauthorized();
  }
}
