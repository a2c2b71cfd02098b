package dev.papertape.api.health;

import java.util.Map;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code GET /healthz}, the same probe every long-running Papertape process answers: 200 {@code
 * {"status":"UP"}} when the API and everything it depends on (database, Kafka) are healthy, 503
 * with the status otherwise. Details: {@code /actuator/health}.
 */
@RestController
public class HealthzController {
  private final HealthEndpoint health;

  public HealthzController(HealthEndpoint health) {
    this.health = health;
  }

  /**
   * The cheapest possible answer: liveness of the HTTP layer, and the baseline of the API bench.
   */
  @GetMapping(path = "/ping", produces = "text/plain")
  public Mono<String> ping() {
    return Mono.just("pong");
  }

  @GetMapping("/healthz")
  public Mono<ResponseEntity<Map<String, String>>> healthz() {
    // the endpoint aggregates blocking and reactive contributors: keep it off the event loop
    return Mono.fromCallable(() -> health.health().getStatus())
        .subscribeOn(Schedulers.boundedElastic())
        .map(
            status ->
                ResponseEntity.status(
                        Status.UP.equals(status) ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                    .body(Map.of("status", status.getCode())));
  }
}
