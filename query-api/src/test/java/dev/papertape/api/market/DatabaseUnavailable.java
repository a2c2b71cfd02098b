package dev.papertape.api.market;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The one answer of a database-backed route while the database is out of reach, shared by the
 * outage ITs: 503 {@code database-unavailable} problem with {@code Retry-After}, no internals in
 * the body, and quickly (a connect or pool timeout bounds it, the request never hangs).
 */
final class DatabaseUnavailable {
  static final String TYPE = "https://papertape.dev/problems/database-unavailable";

  /**
   * The longest a route may take to answer 503 while the database is down: a refused connection
   * answers at once; a silent database costs at most two connection attempts (acquire-retry 1) of
   * PAPERTAPE_DB_CONNECT_TIMEOUT (2 s) each, plus slack for a busy machine and for the API's own
   * background work (control republisher, matcher) holding pool slots; the defect this guards
   * against answered after more than a minute.
   */
  static final Duration PROMPT = Duration.ofSeconds(10);

  private DatabaseUnavailable() {}

  /**
   * Asserts that {@code GET uri} answers the database-unavailable problem within {@link #PROMPT}.
   */
  static void expect(WebTestClient client, String uri) {
    long start = System.nanoTime();
    client
        .mutate()
        .responseTimeout(PROMPT.plusSeconds(10))
        .build()
        .get()
        .uri(uri)
        .exchange()
        .expectStatus()
        .isEqualTo(503)
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectHeader()
        .valueEquals(HttpHeaders.RETRY_AFTER, "5")
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo(TYPE)
        .jsonPath("$.title")
        .isEqualTo("Database unavailable")
        .jsonPath("$.status")
        .isEqualTo(503)
        .jsonPath("$.detail")
        .value(d -> assertThat((String) d).contains("retry after 5 seconds"))
        .jsonPath("$.instance")
        .isEqualTo(uri.replaceAll("\\?.*", ""))
        .jsonPath("$.trace")
        .doesNotExist()
        .jsonPath("$.exception")
        .doesNotExist();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("time to answer GET %s while the database is down", uri)
        .isLessThan(PROMPT);
  }

  /** While the database is down: liveness UP, readiness DOWN with the r2dbc component DOWN. */
  static void expectReadinessDownLivenessUp(WebTestClient client) {
    client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    client
        .get()
        .uri("/actuator/health/readiness")
        .exchange()
        .expectStatus()
        .isEqualTo(503)
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("DOWN")
        .jsonPath("$.components.r2dbc.status")
        .isEqualTo("DOWN");
  }
}
