package dev.papertape.api.strategy;

import dev.papertape.api.market.TimeBound;
import dev.papertape.api.problem.Problems;
import dev.papertape.api.security.CurrentUser;
import dev.papertape.model.Timestamps;
import dev.papertape.strategy.ControlEvent;
import dev.papertape.strategy.StrategyTypes;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.hibernate.validator.constraints.Range;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * {@code /strategies}: the authenticated user's strategy instances. Another user's instance is "not
 * found" (404), as is an id nobody has.
 */
@RestController
@Tag(name = "Strategies", description = "Activate, list and deactivate strategy instances")
public class StrategyController {
  static final String BETWEEN = "must be between {min} and {max}";
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private final StrategyService service;
  private final StrategyRepository repo;
  private final CurrentUser users;

  StrategyController(StrategyService service, StrategyRepository repo, CurrentUser users) {
    this.service = service;
    this.repo = repo;
    this.users = users;
  }

  @GetMapping("/strategies/types")
  @Operation(
      summary = "The strategy types and their parameters",
      description =
          "Each parameter's name, type (int, decimal, enum), default, range or values, and what is"
              + " accepted: what POST /strategies takes in 'params'.")
  public List<StrategyViews.Type> types() {
    return StrategyTypes.all().stream().map(StrategyViews.Type::of).toList();
  }

  @PostMapping("/strategies")
  @Operation(
      summary = "Activate a strategy instance (or re-configure one of yours)",
      description =
          "Body {id?, strategy, params?, symbols: \"all\" | [..], autoExecute?, sizing?:"
              + " {mode: quantity|notional|percentOfCash, value}}. 201 with a new instance, 200"
              + " when the id was already yours (replaced and active). 400 invalid-parameter for a"
              + " bad field, 422 invalid-strategy-parameter for a bad parameter, 404"
              + " unknown-symbol, 409 id-taken, 503 control-unavailable (stored, published"
              + " later).")
  public Mono<ResponseEntity<StrategyViews.Strategy>> activate(
      @RequestBody(required = false) String body) {
    return users
        .current()
        .flatMap(
            u -> {
              ControlEvent.ActivateStrategy a = service.parseActivation(u, body);
              if ("types".equals(a.id())) {
                return Mono.error(
                    Problems.invalidParameter("id", "'id' 'types' is reserved; choose another."));
              }
              return service.activate(u, a);
            })
        .map(
            w ->
                ResponseEntity.status(w.created() ? HttpStatus.CREATED : HttpStatus.OK)
                    .body(StrategyViews.Strategy.of(w.row())));
  }

  @GetMapping("/strategies")
  @Operation(summary = "Your strategy instances, active and deactivated, newest first")
  public Mono<List<StrategyViews.Strategy>> strategies() {
    return users
        .current()
        .flatMap(u -> service.strategies(u).map(StrategyViews.Strategy::of).collectList());
  }

  @GetMapping("/strategies/{id}")
  @Operation(summary = "One of your strategy instances")
  public Mono<StrategyViews.Strategy> strategy(@PathVariable String id) {
    return users.current().flatMap(u -> service.strategy(u, id)).map(StrategyViews.Strategy::of);
  }

  @DeleteMapping("/strategies/{id}")
  @Operation(
      summary = "Deactivate one of your strategy instances",
      description = "Idempotent; the instance is kept (deactivated) with its signals. 200 with it.")
  public Mono<StrategyViews.Strategy> delete(@PathVariable String id) {
    return deactivate(id);
  }

  @PostMapping("/strategies/{id}/deactivate")
  @Operation(summary = "Deactivate one of your strategy instances (as DELETE)")
  public Mono<StrategyViews.Strategy> deactivate(@PathVariable String id) {
    return users.current().flatMap(u -> service.deactivate(u, id)).map(StrategyViews.Strategy::of);
  }

  @GetMapping("/strategies/{id}/signals")
  @Operation(
      summary = "The signals of one of your strategy instances, newest first",
      description =
          "From the signals table. from (inclusive) / to (exclusive): ISO-8601 or epoch ms;"
              + " limit 1-1000 (default 100); follow 'next' for the following page.")
  public Mono<StrategyViews.SignalPage> signals(
      @PathVariable String id,
      @RequestParam(required = false) TimeBound from,
      @RequestParam(required = false) TimeBound to,
      @RequestParam(defaultValue = "" + DEFAULT_LIMIT)
          @Range(min = 1, max = MAX_LIMIT, message = BETWEEN)
          int limit,
      @Parameter(description = "the 'next' link's cursor") @RequestParam(required = false)
          String cursor) {
    Optional<ErrorResponseException> badRange = TimeBound.invalidRange(from, to);
    if (badRange.isPresent()) {
      return Mono.error(badRange.get());
    }
    Cursor c = cursor == null ? null : Cursor.parse(cursor);
    return users
        .current()
        .flatMap(u -> service.strategy(u, id))
        .flatMap(
            s ->
                repo.signals(
                        id,
                        TimeBound.at(from),
                        TimeBound.at(to),
                        c == null ? null : c.ts(),
                        c == null ? null : c.id(),
                        limit)
                    .map(StrategyViews.Signal::of)
                    .collectList())
        .map(
            list -> {
              String next = null;
              if (list.size() == limit) {
                StrategyViews.Signal last = list.get(list.size() - 1);
                UriComponentsBuilder b =
                    UriComponentsBuilder.fromPath("/strategies/{id}/signals")
                        .queryParam("limit", limit);
                if (from != null) {
                  b.queryParam("from", Timestamps.format(from.at()));
                }
                if (to != null) {
                  b.queryParam("to", Timestamps.format(to.at()));
                }
                b.queryParam("cursor", new Cursor(last.ts(), last.id()).text());
                next = b.buildAndExpand(id).encode().toUriString();
              }
              return new StrategyViews.SignalPage(
                  id, TimeBound.at(from), TimeBound.at(to), limit, list, next);
            });
  }

  /** Where a page of signals goes on: after (ts, id) in newest-first order; base64url text. */
  record Cursor(Instant ts, String id) {
    String text() {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString((ts.toString() + "\n" + id).getBytes(StandardCharsets.UTF_8));
    }

    static Cursor parse(String text) {
      try {
        String s = new String(Base64.getUrlDecoder().decode(text.trim()), StandardCharsets.UTF_8);
        int nl = s.indexOf('\n');
        if (text.length() <= 400 && nl > 0 && nl < s.length() - 1) {
          return new Cursor(Instant.parse(s.substring(0, nl)), s.substring(nl + 1));
        }
      } catch (RuntimeException e) {
        // answered below
      }
      throw Problems.invalidParameter(
          "cursor", "'cursor' is not a cursor of this API; use the 'next' link as given.");
    }
  }
}
