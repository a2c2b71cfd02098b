package dev.papertape.api.market;

import dev.papertape.api.config.ClockProperties;
import dev.papertape.api.problem.Problems;
import dev.papertape.model.MetricWindow;
import dev.papertape.model.Timestamps;
import dev.papertape.model.WindowMetrics;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hibernate.validator.constraints.Range;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Market data: symbols, latest prices, bar history and latest metrics. Query parameters bind to
 * their types through {@link MarketParameters} and page sizes are range-checked by Bean Validation
 * before a handler runs; {@code ProblemHandler} answers either failure with an {@code
 * invalid-parameter} problem naming the parameter.
 */
@RestController
@Tag(name = "Market data", description = "Symbols, prices, OHLCV/VWAP history and metrics")
public class MarketController {
  static final int MAX_LIMIT = 5000;
  static final int DEFAULT_LIMIT = 500;

  /** Default and largest page of {@code /symbols} and {@code /metrics}, in symbols. */
  static final int PAGE_LIMIT = 100;

  static final int MAX_PAGE_LIMIT = 1000;

  /**
   * The message of a range constraint; {@code ProblemHandler} makes it {@code 'limit' must be
   * between 1 and 1000, got 0.}
   */
  static final String BETWEEN = "must be between {min} and {max}";

  private final MarketRepository repo;
  private final SymbolDirectory symbols;
  private final LatestPrices latest;
  private final Clock clock;
  private final ClockProperties time;

  public MarketController(
      MarketRepository repo,
      SymbolDirectory symbols,
      LatestPrices latest,
      Clock clock,
      ClockProperties time) {
    this.repo = repo;
    this.symbols = symbols;
    this.latest = latest;
    this.clock = clock;
    this.time = time;
  }

  @GetMapping("/symbols")
  @Operation(
      summary = "The tracked symbols with their latest price and day change",
      description =
          "Paged in symbol order (byte order): at most `limit` symbols (1-1000, default 100). When"
              + " more follow, the response has a `Link: </symbols?limit=…&after=…>; rel=\"next\"`"
              + " header; `after` is the last symbol of the page. A trade dated more than"
              + " PAPERTAPE_MAX_CLOCK_SKEW ahead of the server's clock is never the latest price.")
  public Mono<ResponseEntity<List<SymbolSummary>>> symbols(
      @Parameter(description = "Page size: symbols per page, 1-1000")
          @RequestParam(defaultValue = "" + PAGE_LIMIT)
          @Range(min = 1, max = MAX_PAGE_LIMIT, message = BETWEEN)
          int limit,
      @Parameter(
              description =
                  "Cursor: list the symbols after this one (the last symbol of the previous page)",
              schema = @Schema(type = "string"))
          @RequestParam(required = false)
          SymbolCursor after) {
    return repo.symbols(SymbolCursor.after(after), limit, time.horizon(clock))
        .map(
            page ->
                withNext(
                    page, UriComponentsBuilder.fromPath("/symbols").queryParam("limit", limit)));
  }

  /** The page as the body, and the next page's URL in a {@code Link} header when there is one. */
  static <T> ResponseEntity<List<T>> withNext(
      MarketRepository.Page<T> page, UriComponentsBuilder next) {
    ResponseEntity.BodyBuilder ok = ResponseEntity.ok();
    if (page.next() != null) {
      ok.header(
          HttpHeaders.LINK,
          "<" + next.queryParam("after", page.next()).build().toUriString() + ">; rel=\"next\"");
    }
    return ok.body(page.items());
  }

  @GetMapping("/symbols/{symbol}/price")
  @Operation(
      summary = "Latest trade price",
      description =
          "Served from the API's Kafka-fed view of the trades topic (source=stream); falls back"
              + " to the trades table (source=database). While the database is out of reach, a symbol"
              + " with trades on the stream is still served from it. ageMillis says how fresh it is. A trade"
              + " dated more than PAPERTAPE_MAX_CLOCK_SKEW ahead of the server's clock is never"
              + " the price, so ageMillis is at least minus that skew.")
  public Mono<PriceQuote> price(@PathVariable String symbol) {
    return symbols
        .require(symbol)
        .flatMap(
            s ->
                latest
                    .get(s)
                    .map(p -> Mono.just(quote(s, p, "stream")))
                    .orElseGet(
                        () ->
                            repo.latestTrade(s, time.horizon(clock))
                                .map(p -> quote(s, p, "database"))
                                .switchIfEmpty(
                                    Mono.error(
                                        Problems.noData(
                                            "No trade of " + s + " has been seen yet.")))));
  }

  private PriceQuote quote(String symbol, MarketRepository.PricePoint p, String source) {
    return new PriceQuote(
        symbol, p.price(), p.ts(), source, clock.millis() - p.ts().toEpochMilli());
  }

  @GetMapping("/symbols/{symbol}/history")
  @Operation(
      summary = "OHLCV/VWAP bars of one window size",
      description =
          "Bars from aggregated_metrics with windowStart in [from, to), newest first by default"
              + " (order=asc for oldest first), at most `limit` per page; `next` is the URL of the"
              + " following page.")
  public Mono<HistoryPage> history(
      @PathVariable String symbol,
      @Parameter(
              description = "Window size: 1s, 1m, 5m, 1h or 1d",
              schema = @Schema(type = "string", defaultValue = "1m"))
          @RequestParam(defaultValue = "1m")
          MetricWindow window,
      @Parameter(
              description = "Inclusive lower bound (ISO-8601 or epoch millis)",
              schema = @Schema(type = "string"))
          @RequestParam(required = false)
          TimeBound from,
      @Parameter(
              description = "Exclusive upper bound (ISO-8601 or epoch millis)",
              schema = @Schema(type = "string"))
          @RequestParam(required = false)
          TimeBound to,
      @Parameter(description = "Page size, 1-5000")
          @RequestParam(defaultValue = "" + DEFAULT_LIMIT)
          @Range(min = 1, max = MAX_LIMIT, message = BETWEEN)
          int limit,
      @Parameter(
              description = "desc (newest first) or asc",
              schema = @Schema(type = "string", defaultValue = "desc"))
          @RequestParam(defaultValue = "desc")
          SortOrder order) {
    Optional<ErrorResponseException> badRange = TimeBound.invalidRange(from, to);
    if (badRange.isPresent()) {
      return Mono.error(badRange.get());
    }
    Instant fromTs = TimeBound.at(from);
    Instant toTs = TimeBound.at(to);
    return symbols
        .require(symbol)
        .flatMap(
            s ->
                repo.history(s, window, fromTs, toTs, limit, order.ascending())
                    .collectList()
                    .map(
                        bars ->
                            new HistoryPage(
                                s,
                                window.label(),
                                order.label(),
                                fromTs,
                                toTs,
                                limit,
                                bars,
                                next(s, window, fromTs, toTs, limit, order, bars))));
  }

  /** The next page moves the bound past the last bar of this one; none when this page is short. */
  static String next(
      String symbol,
      MetricWindow w,
      Instant from,
      Instant to,
      int limit,
      SortOrder order,
      List<WindowMetrics> bars) {
    if (bars.size() < limit) {
      return null;
    }
    Instant edge = bars.get(bars.size() - 1).windowStart();
    UriComponentsBuilder b =
        UriComponentsBuilder.fromPath("/symbols/{symbol}/history")
            .queryParam("window", w.label())
            .queryParam("limit", limit)
            .queryParam("order", order.label());
    if (order.ascending()) {
      b.queryParam("from", Timestamps.format(edge.plusMillis(1)));
      if (to != null) {
        b.queryParam("to", Timestamps.format(to));
      }
    } else {
      if (from != null) {
        b.queryParam("from", Timestamps.format(from));
      }
      b.queryParam("to", Timestamps.format(edge));
    }
    return b.buildAndExpand(symbol).toUriString();
  }

  @GetMapping("/metrics")
  @Operation(
      summary = "Latest metrics per symbol and window size",
      description =
          "symbols: comma-separated (default all tracked); window: comma-separated sizes (default"
              + " all). Paged by symbol, in symbol order: the bars of at most `limit` symbols"
              + " (1-1000, default 100) per page, by symbol then window size. When more symbols"
              + " follow, the response has a `Link: <…&after=…>; rel=\"next\"` header.")
  public Mono<ResponseEntity<List<WindowMetrics>>> metrics(
      @Parameter(description = "Comma-separated symbols (default: all tracked)")
          @RequestParam(required = false)
          String symbols,
      @Parameter(
              description = "Comma-separated window sizes of 1s, 1m, 5m, 1h, 1d (default all)",
              schema = @Schema(type = "string"))
          @RequestParam(required = false)
          WindowSelection window,
      @Parameter(description = "Page size: symbols per page, 1-1000")
          @RequestParam(defaultValue = "" + PAGE_LIMIT)
          @Range(min = 1, max = MAX_PAGE_LIMIT, message = BETWEEN)
          int limit,
      @Parameter(
              description =
                  "Cursor: only symbols after this one (the last symbol of the previous page)",
              schema = @Schema(type = "string"))
          @RequestParam(required = false)
          SymbolCursor after) {
    List<MetricWindow> windows = window == null ? List.of(MetricWindow.values()) : window.windows();
    Mono<List<String>> wanted =
        symbols == null || symbols.isBlank()
            ? Mono.just(List.of())
            : Flux.fromArray(symbols.split(",")).concatMap(this.symbols::require).collectList();
    return wanted.flatMap(
        list -> {
          UriComponentsBuilder next = UriComponentsBuilder.fromPath("/metrics");
          if (!list.isEmpty()) {
            next.queryParam("symbols", String.join(",", list));
          }
          if (window != null) {
            next.queryParam("window", window.labels());
          }
          next.queryParam("limit", limit);
          return repo.latestMetrics(list, windows, SymbolCursor.after(after), limit)
              .map(page -> withNext(page, next));
        });
  }
}
