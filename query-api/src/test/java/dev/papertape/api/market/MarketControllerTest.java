package dev.papertape.api.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.papertape.api.config.ClockProperties;
import dev.papertape.api.config.JsonConfig;
import dev.papertape.api.problem.Problems;
import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.MetricWindow;
import dev.papertape.model.Symbols;
import dev.papertape.model.Trade;
import dev.papertape.model.WindowMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link MarketController} in a WebFlux slice: binding, validation and the exact RFC 9457 body of
 * every parameter error. The database stays out: the repository and the symbol directory are mocks;
 * {@link LatestPrices} is the real one on a fixed clock.
 */
@WebFluxTest(MarketController.class)
@Import(JsonConfig.class)
class MarketControllerTest {
  static final Instant NOW = Instant.parse("2026-01-06T10:00:10Z");
  static final String INVALID = "https://papertape.dev/problems/invalid-parameter";
  static final Set<String> TRACKED = Set.of("AAPL", "MSFT", "BRK.B");

  @TestConfiguration
  static class FixedClock {
    @Bean
    Clock clock() {
      return Clock.fixed(NOW, ZoneOffset.UTC);
    }

    @Bean
    ClockProperties clockProperties() {
      return new ClockProperties(Duration.ofSeconds(5));
    }

    @Bean
    LatestPrices latestPrices(Clock clock, ClockProperties time) {
      return new LatestPrices(clock, time, new SimpleMeterRegistry());
    }
  }

  @Autowired WebTestClient client;
  @Autowired LatestPrices latest;
  @MockitoBean MarketRepository repo;
  @MockitoBean SymbolDirectory symbols;

  @BeforeEach
  void trackedSymbols() {
    // what SymbolDirectory answers, without its table
    when(symbols.require(any()))
        .thenAnswer(
            call -> {
              String raw = call.getArgument(0);
              String s;
              try {
                s = Symbols.normalize("symbol", raw);
              } catch (InvalidRecordException e) {
                return Mono.error(Problems.unknownSymbol(raw));
              }
              return TRACKED.contains(s) ? Mono.just(s) : Mono.error(Problems.unknownSymbol(s));
            });
    when(repo.symbols(anyString(), anyInt(), any()))
        .thenReturn(Mono.just(new MarketRepository.Page<>(List.of(), null)));
    when(repo.latestMetrics(anyList(), anyList(), anyString(), anyInt()))
        .thenReturn(Mono.just(new MarketRepository.Page<>(List.of(), null)));
    when(repo.history(anyString(), any(), any(), any(), anyInt(), anyBoolean()))
        .thenReturn(Flux.empty());
    when(repo.latestTrade(anyString(), any())).thenReturn(Mono.empty());
  }

  private Map<String, Object> problemAt(String uri, int status) {
    return client
        .get()
        .uri(URI.create(uri))
        .exchange()
        .expectStatus()
        .isEqualTo(status)
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
        .returnResult()
        .getResponseBody();
  }

  /** The whole body, member for member: nothing more, nothing less. */
  private void invalidParameter(String uri, String parameter, String detail) {
    invalidParameter(uri, parameter, "Invalid parameter", detail);
  }

  private void invalidParameter(String uri, String parameter, String title, String detail) {
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("type", INVALID);
    expected.put("title", title);
    expected.put("status", 400);
    expected.put("detail", detail);
    expected.put("instance", uri.replaceFirst("\\?.*", ""));
    expected.put("parameter", parameter);
    assertThat(problemAt(uri, 400)).as(uri).isEqualTo(expected);
  }

  private static String range(String parameter, int max, String got) {
    return "'" + parameter + "' must be between 1 and " + max + ", got " + got + ".";
  }

  private static final String TYPE_MISMATCH = "Parameter 'limit' is invalid: Type mismatch.";

  private static final String NOT_A_SYMBOL =
      "field 'after': '$$' is not a valid symbol: use 1-15 characters A-Z, 0-9, '.', '-',"
          + " starting with a letter (e.g. AAPL, BRK.B)";

  private static String notAWindow(String label) {
    return "field 'window': '" + label + "' is not a window; accepted: 1s, 1m, 5m, 1h, 1d";
  }

  private static String notATime(String parameter, String got) {
    return "'"
        + parameter
        + "' must be an ISO-8601 timestamp (e.g. 2026-11-24T14:30:00Z) or epoch milliseconds"
        + " between years 1 and 9999, got '"
        + got
        + "'.";
  }

  @Test
  void symbolsPageLimitAndCursorErrorsAreExactProblems() {
    invalidParameter("/symbols?limit=0", "limit", range("limit", 1000, "0"));
    invalidParameter("/symbols?limit=1001", "limit", range("limit", 1000, "1001"));
    invalidParameter("/symbols?limit=-5", "limit", range("limit", 1000, "-5"));
    invalidParameter("/symbols?limit=ten", "limit", "Bad Request", TYPE_MISMATCH);
    invalidParameter("/symbols?after=%24%24", "after", NOT_A_SYMBOL);
    verifyNoInteractions(repo);
  }

  @Test
  void symbolsPassTheCanonicalCursorAndLinkTheNextPage() {
    when(repo.symbols(eq("PGA"), eq(2), eq(NOW.plusSeconds(5))))
        .thenReturn(Mono.just(new MarketRepository.Page<>(List.of(summary("PGB")), "PGB")));
    client
        .get()
        .uri(URI.create("/symbols?limit=2&after=%20pga%20"))
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals(HttpHeaders.LINK, "</symbols?limit=2&after=PGB>; rel=\"next\"")
        .expectBody()
        .jsonPath("$[0].symbol")
        .isEqualTo("PGB");
    // no cursor and the default page size: from the first symbol, no Link on a last page
    client
        .get()
        .uri("/symbols?after=")
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .doesNotExist(HttpHeaders.LINK);
    verify(repo).symbols(eq(""), eq(100), any());
  }

  private static SymbolSummary summary(String symbol) {
    return new SymbolSummary(symbol, "n", null, "USD", null, null, null, null, null);
  }

  @Test
  void historyParameterErrorsAreExactProblems() {
    String h = "/symbols/AAPL/history";
    invalidParameter(h + "?window=2m", "window", notAWindow("2m"));
    invalidParameter(
        h + "?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z",
        "from",
        "'from' (2026-01-02T00:00:00Z) must be before 'to' (2026-01-01T00:00:00Z).");
    invalidParameter(
        h + "?from=1767225600000&to=2026-01-01T00:00:00Z",
        "from",
        "'from' (1767225600000) must be before 'to' (2026-01-01T00:00:00Z).");
    invalidParameter(h + "?limit=0", "limit", range("limit", 5000, "0"));
    invalidParameter(h + "?limit=5001", "limit", range("limit", 5000, "5001"));
    invalidParameter(h + "?limit=ten", "limit", "Bad Request", TYPE_MISMATCH);
    invalidParameter(h + "?from=yesterday", "from", notATime("from", "yesterday"));
    invalidParameter(h + "?to=253402300800000", "to", notATime("to", "253402300800000"));
    invalidParameter(h + "?to=99999999999999999999", "to", notATime("to", "99999999999999999999"));
    invalidParameter(
        h + "?from=0000-12-31T00:00:00Z", "from", notATime("from", "0000-12-31T00:00:00Z"));
    invalidParameter(
        h + "?order=sideways", "order", "'order' must be asc or desc, got 'sideways'.");
    // a parameter error is answered before the symbol is looked up
    invalidParameter("/symbols/NOPE/history?window=2m", "window", notAWindow("2m"));
    verifyNoInteractions(repo);
  }

  @Test
  void historyBindsWindowOrderAndBoundsAndLinksTheNextPage() {
    Instant t0 = Instant.parse("2026-01-06T10:00:00Z");
    when(repo.history(eq("AAPL"), eq(MetricWindow.M5), any(), any(), eq(2), eq(true)))
        .thenReturn(Flux.just(bar(t0, MetricWindow.M5), bar(t0.plusSeconds(300), MetricWindow.M5)));
    client
        .get()
        .uri(
            URI.create(
                "/symbols/aapl/history?window=5M&order=ASC&limit=2&from=1767693600000&to=%20"))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.symbol")
        .isEqualTo("AAPL")
        .jsonPath("$.window")
        .isEqualTo("5m")
        .jsonPath("$.order")
        .isEqualTo("asc")
        .jsonPath("$.from")
        .isEqualTo("2026-01-06T10:00:00.000Z")
        .jsonPath("$.to")
        .doesNotExist()
        .jsonPath("$.limit")
        .isEqualTo(2)
        .jsonPath("$.bars.length()")
        .isEqualTo(2)
        .jsonPath("$.next")
        .isEqualTo(
            "/symbols/AAPL/history?window=5m&limit=2&order=asc&from=2026-01-06T10:05:00.001Z");
    verify(repo).history("AAPL", MetricWindow.M5, t0, null, 2, true);

    // the defaults: 1m, newest first, 500; a short page has no next. Like every blank parameter,
    // a blank window or order is no value (for enums Spring's binder decides so)
    client
        .get()
        .uri(URI.create("/symbols/MSFT/history?window=&order=%20%20"))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.window")
        .isEqualTo("1m")
        .jsonPath("$.order")
        .isEqualTo("desc")
        .jsonPath("$.limit")
        .isEqualTo(500)
        .jsonPath("$.next")
        .doesNotExist();
    client
        .get()
        .uri(URI.create("/symbols/MSFT/history?window=%20"))
        .exchange()
        .expectStatus()
        .isOk();
    verify(repo, times(2)).history("MSFT", MetricWindow.M1, null, null, 500, false);
  }

  private static WindowMetrics bar(Instant start, MetricWindow w) {
    BigDecimal one = BigDecimal.ONE;
    return new WindowMetrics(
        "AAPL", w, start, start.plus(w.size()), one, one, one, one, 1, one, 1, BigDecimal.ZERO);
  }

  @Test
  void metricsParameterErrorsAreExactProblems() {
    invalidParameter("/metrics?window=1w", "window", notAWindow("1w"));
    invalidParameter("/metrics?window=1m,,5m", "window", notAWindow(""));
    invalidParameter("/metrics?limit=0", "limit", range("limit", 1000, "0"));
    invalidParameter("/metrics?limit=1001", "limit", range("limit", 1000, "1001"));
    invalidParameter("/metrics?limit=ten", "limit", "Bad Request", TYPE_MISMATCH);
    invalidParameter("/metrics?after=%24%24", "after", NOT_A_SYMBOL);
    assertThat(problemAt("/metrics?symbols=AAPL,NOPE", 404))
        .containsEntry("type", "https://papertape.dev/problems/unknown-symbol")
        .containsEntry("title", "Unknown symbol")
        .containsEntry(
            "detail", "Symbol 'NOPE' is not tracked; GET /symbols lists the tracked symbols.");
    verifyNoInteractions(repo);
  }

  @Test
  void metricsBindWindowsInSizeOrderAndLinkTheNextPage() {
    when(repo.latestMetrics(
            eq(List.of("MSFT", "AAPL")),
            eq(List.of(MetricWindow.M1, MetricWindow.H1)),
            eq("AAPL"),
            eq(1)))
        .thenReturn(Mono.just(new MarketRepository.Page<>(List.of(), "MSFT")));
    client
        .get()
        .uri(URI.create("/metrics?symbols=msft,aapl&window=1h,%201m,1h&limit=1&after=aapl"))
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals(
            HttpHeaders.LINK,
            "</metrics?symbols=MSFT,AAPL&window=1m,1h&limit=1&after=MSFT>; rel=\"next\"");
    // no window and a blank one both mean every size, and neither goes into the link
    client.get().uri(URI.create("/metrics?window=%20")).exchange().expectStatus().isOk();
    client.get().uri("/metrics").exchange().expectStatus().isOk();
    verify(repo, times(2)).latestMetrics(List.of(), List.of(MetricWindow.values()), "", 100);
  }

  @Test
  void priceComesFromTheLiveViewElseTheDatabaseElseIsNoData() {
    Map<String, Object> none = problemAt("/symbols/msft/price", 404);
    assertThat(none)
        .isEqualTo(
            Map.of(
                "type", "https://papertape.dev/problems/no-data",
                "title", "No data",
                "status", 404,
                "detail", "No trade of MSFT has been seen yet.",
                "instance", "/symbols/msft/price"));

    when(repo.latestTrade(eq("MSFT"), eq(NOW.plusSeconds(5))))
        .thenReturn(
            Mono.just(
                new MarketRepository.PricePoint(new BigDecimal("410.5"), NOW.minusSeconds(10))));
    client
        .get()
        .uri("/symbols/MSFT/price")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .json(
            "{\"symbol\":\"MSFT\",\"price\":410.5,\"ts\":\"2026-01-06T10:00:00.000Z\","
                + "\"source\":\"database\",\"ageMillis\":10000}");

    latest.update(
        new Trade("MSFT", new BigDecimal("411.25"), 3, NOW.minusSeconds(1), "t1", "test"));
    client
        .get()
        .uri("/symbols/MSFT/price")
        .exchange()
        .expectBody()
        .jsonPath("$.source")
        .isEqualTo("stream")
        .jsonPath("$.price")
        .isEqualTo(411.25)
        .jsonPath("$.ageMillis")
        .isEqualTo(1000);
    verify(repo, never()).latestTrade(eq("AAPL"), any());

    assertThat(problemAt("/symbols/%24%24/price", 404))
        .containsEntry("type", "https://papertape.dev/problems/unknown-symbol")
        .containsEntry(
            "detail", "Symbol '$$' is not tracked; GET /symbols lists the tracked symbols.");
  }

  @Test
  void unknownRoutesAndMethodsAreProblemsToo() {
    client
        .get()
        .uri("/no/such/route")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    client
        .post()
        .uri("/symbols")
        .exchange()
        .expectStatus()
        .isEqualTo(405)
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo(405);
  }
}
