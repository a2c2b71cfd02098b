package dev.papertape.api.portfolio;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.papertape.api.problem.Problems;
import dev.papertape.api.security.CurrentUser;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hibernate.validator.constraints.Range;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * The authenticated user's paper portfolio. Every route acts on the caller's own portfolio only;
 * another user's order is not found (404).
 */
@RestController
@Tag(name = "Paper portfolio", description = "Init, trade, orders, fills and valuation")
public class PortfolioController {
  static final BigDecimal DEFAULT_STARTING_CASH = new BigDecimal("100000.00");
  static final BigDecimal MIN_STARTING_CASH = new BigDecimal("1.00");
  static final BigDecimal MAX_STARTING_CASH = new BigDecimal("1000000000000.00");
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;
  static final String BETWEEN = "must be between {min} and {max}";

  private final PortfolioService service;
  private final CurrentUser users;

  public PortfolioController(PortfolioService service, CurrentUser users) {
    this.service = service;
    this.users = users;
  }

  private Mono<Long> user() {
    return users.current().map(u -> u.id());
  }

  /** {@code {startingCash?}}: 1.00 to 10^12 USD with at most 2 decimals, or {@code fallback}. */
  static BigDecimal startingCash(String body, BigDecimal fallback) {
    ObjectNode o = RequestBodies.object(body, Set.of("startingCash"));
    BigDecimal v = RequestBodies.decimal(o, "startingCash");
    if (v == null) {
      return fallback;
    }
    if (v.compareTo(MIN_STARTING_CASH) < 0
        || v.compareTo(MAX_STARTING_CASH) > 0
        || v.stripTrailingZeros().scale() > 2) {
      throw RequestBodies.invalid(
          "startingCash",
          "'startingCash' must be between 1.00 and 1000000000000.00 with at most 2 decimal places,"
              + " got "
              + (v.precision() > 40 ? "a number out of range" : v.toPlainString())
              + ".");
    }
    return v.setScale(2);
  }

  @PostMapping("/portfolio/init")
  @Operation(
      summary = "Create your portfolio, or return it",
      description =
          "Body {startingCash?} (default 100000.00; 1.00 to 1e12, 2 decimals). 201 with the new"
              + " portfolio; 200 with the existing one (unchanged: POST /portfolio/reset starts"
              + " over).")
  public Mono<ResponseEntity<Views.Portfolio>> init(@RequestBody(required = false) String body) {
    return Mono.fromCallable(() -> startingCash(body, DEFAULT_STARTING_CASH))
        .flatMap(cash -> user().flatMap(u -> service.init(u, cash)))
        .map(
            r ->
                ResponseEntity.status(r.created() ? HttpStatus.CREATED : HttpStatus.OK)
                    .body(r.body()));
  }

  @PostMapping("/portfolio/reset")
  @Operation(
      summary = "Start over",
      description =
          "Starts a new epoch: cash = startingCash (default: the current starting cash), no"
              + " positions, P&L and commissions 0, resting orders canceled. The orders and fills"
              + " of earlier epochs are kept.")
  public Mono<Views.Portfolio> reset(@RequestBody(required = false) String body) {
    return Mono.fromCallable(() -> java.util.Optional.ofNullable(startingCash(body, null)))
        .flatMap(cash -> user().flatMap(u -> service.reset(u, cash.orElse(null))));
  }

  @GetMapping("/portfolio")
  @Operation(summary = "Cash, positions and value at the latest prices")
  public Mono<Views.Portfolio> portfolio() {
    return user().flatMap(service::portfolio);
  }

  @PostMapping("/portfolio/trade")
  @Operation(
      summary = "Place an order",
      description =
          "Body {symbol, side: BUY|SELL, quantity, type: MARKET|LIMIT|STOP|STOP_LIMIT,"
              + " limitPrice?, stopPrice?, timeInForce: DAY|GTC|IOC|FOK (default DAY)}. A MARKET"
              + " order fills at once in full at the latest trade price (with slippage and"
              + " commission) or is refused; other types rest (201, ACCEPTED). Idempotency-Key:"
              + " a repeat returns the first result (200).")
  public Mono<ResponseEntity<Views.Order>> trade(
      @RequestBody(required = false) String body,
      @Parameter(description = "1-128 printable ASCII characters")
          @RequestHeader(name = "Idempotency-Key", required = false)
          String idempotencyKey) {
    return Mono.defer(
            () -> {
              OrderRequest order = OrderRequest.parse(body);
              String key = OrderRequest.idempotencyKey(idempotencyKey);
              return user().flatMap(u -> service.trade(u, order, key));
            })
        .map(
            r ->
                ResponseEntity.status(r.created() ? HttpStatus.CREATED : HttpStatus.OK)
                    .body(r.body()));
  }

  static OrderStatus status(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return OrderStatus.valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Problems.invalidParameter(
          "status",
          "'status' must be one of ACCEPTED, PARTIALLY_FILLED, FILLED, CANCELED, REJECTED,"
              + " EXPIRED.");
    }
  }

  static UUID uuid(String name, String text, boolean path) {
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      if (path) {
        throw PortfolioProblems.orderNotFound(
            dev.papertape.model.TextFields.excerpt(
                text, dev.papertape.model.TextFields.QUOTED_CHARS));
      }
      throw Problems.invalidParameter(name, "'" + name + "' must be an order id (a UUID).");
    }
  }

  @GetMapping("/portfolio/orders")
  @Operation(
      summary = "Your orders, newest first",
      description =
          "status: one status; limit 1-500 (default 50); after: the id of the last order of the"
              + " previous page. A full page has a Link rel=\"next\" header.")
  public Mono<ResponseEntity<List<Views.Order>>> orders(
      @RequestParam(required = false) String status,
      @RequestParam(defaultValue = "" + DEFAULT_LIMIT)
          @Range(min = 1, max = MAX_LIMIT, message = BETWEEN)
          int limit,
      @RequestParam(required = false) String after) {
    return Mono.defer(
            () -> {
              OrderStatus wanted = status(status);
              UUID cursor = after == null ? null : uuid("after", after, false);
              return user().flatMap(u -> service.orders(u, wanted, cursor, limit).collectList());
            })
        .map(
            list -> {
              ResponseEntity.BodyBuilder ok = ResponseEntity.ok();
              if (list.size() == limit) {
                UriComponentsBuilder next =
                    UriComponentsBuilder.fromPath("/portfolio/orders").queryParam("limit", limit);
                if (status != null && !status.isBlank()) {
                  next.queryParam("status", status(status).name());
                }
                next.queryParam("after", list.get(list.size() - 1).id());
                ok.header(HttpHeaders.LINK, "<" + next.toUriString() + ">; rel=\"next\"");
              }
              return ok.body(list);
            });
  }

  @GetMapping("/portfolio/orders/{id}")
  @Operation(summary = "One of your orders, with its fills")
  public Mono<Views.Order> order(@PathVariable String id) {
    return Mono.fromCallable(() -> uuid("id", id, true))
        .flatMap(o -> user().flatMap(u -> service.order(u, o)));
  }

  @DeleteMapping("/portfolio/orders/{id}")
  @Operation(
      summary = "Cancel a resting order",
      description =
          "200 with the canceled order; 409 order-not-cancelable when it no longer rests.")
  public Mono<Views.Order> cancel(@PathVariable String id) {
    return Mono.fromCallable(() -> uuid("id", id, true))
        .flatMap(o -> user().flatMap(u -> service.cancel(u, o)));
  }

  @GetMapping("/portfolio/history")
  @Operation(
      summary = "Your fills of the current epoch, newest first",
      description =
          "Each fill with its market trade, slippage, commission and realised P&L. limit 1-500"
              + " (default 50); before: the id of the last fill of the previous page.")
  public Mono<ResponseEntity<List<Views.Fill>>> history(
      @RequestParam(defaultValue = "" + DEFAULT_LIMIT)
          @Range(min = 1, max = MAX_LIMIT, message = BETWEEN)
          int limit,
      @RequestParam(required = false)
          @Range(min = 1, message = "must be a fill id (at least {min})")
          Long before) {
    return user()
        .flatMap(u -> service.history(u, before, limit).collectList())
        .map(
            list -> {
              ResponseEntity.BodyBuilder ok = ResponseEntity.ok();
              if (list.size() == limit) {
                String next =
                    UriComponentsBuilder.fromPath("/portfolio/history")
                        .queryParam("limit", limit)
                        .queryParam("before", list.get(list.size() - 1).id())
                        .toUriString();
                ok.header(HttpHeaders.LINK, "<" + next + ">; rel=\"next\"");
              }
              return ok.body(list);
            });
  }
}
