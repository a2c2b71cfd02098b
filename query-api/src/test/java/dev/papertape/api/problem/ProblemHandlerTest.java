package dev.papertape.api.problem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.api.market.MarketParameters;
import dev.papertape.api.market.SortOrder;
import dev.papertape.model.InvalidRecordException;
import java.util.Map;
import org.hibernate.validator.constraints.Range;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@link ProblemHandler} in a WebFlux slice, on a probe controller that fails in every way a
 * request can: each answer is an RFC 9457 body with a stable {@code type}, and parameter errors
 * name the parameter.
 */
@WebFluxTest(controllers = ProblemHandlerTest.Probe.class)
@Import({ProblemHandlerTest.Probe.class, MarketParameters.class})
class ProblemHandlerTest {
  static final String INVALID = "https://papertape.dev/problems/invalid-parameter";

  @RestController
  static class Probe {
    @GetMapping("/probe/record")
    Mono<String> record() {
      return Mono.error(new InvalidRecordException("thing", "'x' is not a thing"));
    }

    @GetMapping("/probe/whole-record")
    Mono<String> wholeRecord() {
      throw new InvalidRecordException("unreadable", (Throwable) null);
    }

    @GetMapping("/probe/order")
    Mono<String> order(@RequestParam SortOrder sort) {
      return Mono.just(sort.label());
    }

    @GetMapping("/probe/count")
    Mono<Integer> count(@RequestParam @Range(min = 2, max = 9, message = "must be small") int n) {
      return Mono.just(n);
    }

    @GetMapping("/probe/no-data")
    Mono<String> noData() {
      return Mono.error(Problems.noData("Nothing yet."));
    }

    @GetMapping("/probe/bug")
    Mono<String> bug() {
      return Mono.error(new IllegalStateException("secret internals at 10.0.0.7"));
    }

    @GetMapping("/probe/thrown-bug")
    Mono<String> thrownBug() {
      throw new NullPointerException("secret internals");
    }

    @GetMapping("/probe/framework-status")
    Mono<String> frameworkStatus() {
      return Mono.error(
          new org.springframework.web.server.ResponseStatusException(
              org.springframework.http.HttpStatus.CONFLICT, "Taken."));
    }

    @GetMapping("/probe/database")
    Mono<String> database() {
      return Mono.error(
          new org.springframework.dao.DataAccessResourceFailureException(
              "Failed to obtain R2DBC Connection",
              new java.net.ConnectException("Connection refused: /10.0.0.7:5432")));
    }
  }

  @Autowired WebTestClient client;

  private Map<String, Object> problem(String uri, int status) {
    return client
        .get()
        .uri(uri)
        .exchange()
        .expectStatus()
        .isEqualTo(status)
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
        .returnResult()
        .getResponseBody();
  }

  private static Map<String, Object> invalid(
      String instance, String title, String detail, String parameter) {
    return Map.of(
        "type", INVALID,
        "title", title,
        "status", 400,
        "detail", detail,
        "instance", instance,
        "parameter", parameter);
  }

  @Test
  void aDomainValidationErrorNamesItsField() {
    assertThat(problem("/probe/record", 400))
        .isEqualTo(
            invalid(
                "/probe/record",
                "Invalid parameter",
                "field 'thing': 'x' is not a thing",
                "thing"));
    assertThat(problem("/probe/whole-record", 400))
        .isEqualTo(
            Map.of(
                "type",
                INVALID,
                "title",
                "Invalid parameter",
                "status",
                400,
                "detail",
                "unreadable",
                "instance",
                "/probe/whole-record"));
  }

  @Test
  void aConverterThatRefusesTheTextIsQuotedWithTheParameterName() {
    assertThat(problem("/probe/order?sort=up", 400))
        .isEqualTo(
            invalid(
                "/probe/order",
                "Invalid parameter",
                "'sort' must be asc or desc, got 'up'.",
                "sort"));
    client.get().uri("/probe/order?sort=ASC").exchange().expectBody(String.class).isEqualTo("asc");
  }

  @Test
  void textOfTheWrongTypeKeepsTheFrameworksReason() {
    assertThat(problem("/probe/count?n=two", 400))
        .isEqualTo(
            invalid(
                "/probe/count", "Bad Request", "Parameter 'n' is invalid: Type mismatch.", "n"));
  }

  @Test
  void aBrokenConstraintGivesItsMessageAndTheValue() {
    assertThat(problem("/probe/count?n=10", 400))
        .isEqualTo(invalid("/probe/count", "Invalid parameter", "'n' must be small, got 10.", "n"));
    client.get().uri("/probe/count?n=9").exchange().expectStatus().isOk();
  }

  @Test
  void ourProblemsPassThroughAsTheyAre() {
    assertThat(problem("/probe/no-data", 404))
        .isEqualTo(
            Map.of(
                "type", "https://papertape.dev/problems/no-data",
                "title", "No data",
                "status", 404,
                "detail", "Nothing yet.",
                "instance", "/probe/no-data"));
  }

  @Test
  void frameworkErrorsAreProblemsToo() {
    assertThat(problem("/no/such/route", 404)).containsEntry("status", 404);
    client
        .post()
        .uri("/probe/no-data")
        .exchange()
        .expectStatus()
        .isEqualTo(405)
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(problem("/probe/order", 400))
        .containsEntry("status", 400)
        .containsEntry("instance", "/probe/order");
  }

  @Test
  void anUnexpectedErrorIsAGeneric500ProblemWithoutInternals() {
    Map<String, Object> generic =
        Map.of(
            "type", "https://papertape.dev/problems/internal-error",
            "title", "Internal error",
            "status", 500,
            "detail",
                "The request failed on an unexpected error of the API; it has been logged. Retry"
                    + " later, and report it if it persists.",
            "instance", "/probe/bug");
    assertThat(problem("/probe/bug", 500)).isEqualTo(generic);
    Map<String, Object> thrown = new java.util.HashMap<>(generic);
    thrown.put("instance", "/probe/thrown-bug");
    assertThat(problem("/probe/thrown-bug", 500)).isEqualTo(thrown);
  }

  @Test
  void aFrameworkStatusKeepsItsOwnProblem() {
    assertThat(problem("/probe/framework-status", 409))
        .containsEntry("status", 409)
        .containsEntry("detail", "Taken.");
  }

  @Test
  void anUnreachableDatabaseIs503WithRetryAfter() {
    client
        .get()
        .uri("/probe/database")
        .exchange()
        .expectStatus()
        .isEqualTo(503)
        .expectHeader()
        .valueEquals("Retry-After", "5")
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
        .value(
            body ->
                assertThat(body)
                    .containsEntry("type", "https://papertape.dev/problems/database-unavailable")
                    .containsEntry("title", "Database unavailable")
                    .containsEntry("status", 503)
                    .containsEntry("instance", "/probe/database")
                    .doesNotContainKeys("trace", "exception")
                    .extractingByKey("detail")
                    .asString()
                    .contains("retry after 5 seconds")
                    .doesNotContain("10.0.0.7"));
  }
}
