package dev.papertape.api.strategy;

import dev.papertape.api.security.CurrentUser;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code /alerts/rules}: the authenticated user's alert rules. Their ALERTs reach the owner's
 * {@code /stream/portfolio} and {@code /ws/portfolio} as {@code alert} events (and, as market data,
 * {@code /stream/signals}). Another user's rule is "not found" (404).
 */
@RestController
@Tag(name = "Alert rules", description = "Add, list and remove alert rules")
public class AlertRuleController {
  private final StrategyService service;
  private final CurrentUser users;

  AlertRuleController(StrategyService service, CurrentUser users) {
    this.service = service;
    this.users = users;
  }

  @PostMapping("/alerts/rules")
  @Operation(
      summary = "Add an alert rule (or replace one of yours)",
      description =
          "Body {id?, symbol, field: price|vwap|volume|changePct, op: >|<|crosses_above|"
              + "crosses_below, threshold, window?: 1s|1m|5m|1h|1d (default 1m)}. 201 with a new"
              + " rule, 200 when the id was already yours. 400 invalid-parameter, 404"
              + " unknown-symbol, 409 id-taken, 503 control-unavailable (stored, published later).")
  public Mono<ResponseEntity<StrategyViews.Rule>> add(@RequestBody(required = false) String body) {
    return users
        .current()
        .flatMap(u -> service.addRule(u, service.parseRule(u, body)))
        .map(
            w ->
                ResponseEntity.status(w.created() ? HttpStatus.CREATED : HttpStatus.OK)
                    .body(StrategyViews.Rule.of(w.row())));
  }

  @GetMapping("/alerts/rules")
  @Operation(summary = "Your alert rules, active and removed, newest first")
  public Mono<List<StrategyViews.Rule>> rules() {
    return users.current().flatMap(u -> service.rules(u).map(StrategyViews.Rule::of).collectList());
  }

  @GetMapping("/alerts/rules/{id}")
  @Operation(summary = "One of your alert rules")
  public Mono<StrategyViews.Rule> rule(@PathVariable String id) {
    return users.current().flatMap(u -> service.rule(u, id)).map(StrategyViews.Rule::of);
  }

  @DeleteMapping("/alerts/rules/{id}")
  @Operation(
      summary = "Remove one of your alert rules",
      description = "Idempotent; the rule is kept (removed). 200 with it.")
  public Mono<StrategyViews.Rule> remove(@PathVariable String id) {
    return users.current().flatMap(u -> service.removeRule(u, id)).map(StrategyViews.Rule::of);
  }
}
