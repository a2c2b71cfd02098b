package dev.papertape.api.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.papertape.api.RealInfrastructure;
import dev.papertape.model.Trade;
import dev.papertape.model.TradeCodec;
import dev.papertape.testing.KafkaTestBroker;
import dev.papertape.testing.TestDatabase;
import dev.papertape.testing.TradeFixtures;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The market data REST API on the real test TimescaleDB and Kafka: exact answers and errors. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class MarketApiIT {
  static final RealInfrastructure INFRA = new RealInfrastructure();
  static final String SYM = TradeFixtures.uniqueSymbol("M");

  @Autowired WebTestClient client;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry r) {
    INFRA.register(r);
  }

  @BeforeAll
  static void knownData() {
    TestDatabase.execute(
        "INSERT INTO symbols (symbol, name, exchange) VALUES ('" + SYM + "', 'Test Corp', 'TEST')",
        "INSERT INTO trades (ts, symbol, trade_id, price, size, source) VALUES"
            + " ('2026-01-05T14:30:00.100Z', '"
            + SYM
            + "', 'a', 100.00, 10, 'test'),"
            + " ('2026-01-05T15:00:00Z', '"
            + SYM
            + "', 'b', 101.50, 5, 'test'),"
            + " ('2026-01-06T09:00:00Z', '"
            + SYM
            + "', 'c', 99.00, 1, 'test'),"
            + " ('2026-01-06T10:00:00Z', '"
            + SYM
            + "', 'd', 99.99, 2, 'test')");
    for (int i = 0; i < 5; i++) {
      TestDatabase.execute(
          String.format(
                  "INSERT INTO aggregated_metrics (window_start, symbol, \"window\", window_end, open,"
                      + " high, low, close, volume, vwap, trade_count, price_range) VALUES"
                      + " ('2026-01-06T10:0%d:00Z', '%s', '1m', '2026-01-06T10:0%d:00Z', 10%d.5, 10%d.75,"
                      + " 10%d.25, 10%d.5, %d, 10%d.123456789, %d, 0.5)",
                  i, SYM, i + 1, i, i, i, i, 100 + i, i, 3 + i)
              .replace("123456789", "12345678"));
    }
    TestDatabase.execute(
        "INSERT INTO aggregated_metrics VALUES ('2026-01-06T10:00:00Z', '"
            + SYM
            + "', '5m',"
            + " '2026-01-06T10:05:00Z', 100.5, 104.75, 100.25, 104.5, 510, 102.00000001, 25, 4.5, now())");
  }

  private WebTestClient.ResponseSpec get(String uri) {
    return client.get().uri(uri).exchange();
  }

  /** One page of {@code /symbols} (or {@code /metrics}) and its {@code Link: rel="next"}. */
  private record Page(List<Map<String, Object>> rows, String next) {}

  private Page page(String uri) {
    var result =
        get(uri)
            .expectStatus()
            .isOk()
            .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() {})
            .returnResult();
    String link = result.getResponseHeaders().getFirst(HttpHeaders.LINK);
    String next = null;
    if (link != null) {
      Matcher m = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"").matcher(link);
      assertThat(m.find()).as("Link header %s", link).isTrue();
      next = m.group(1);
    }
    return new Page(result.getResponseBody(), next);
  }

  /** Every tracked symbol, following {@code Link: rel="next"} from page to page. */
  private Map<String, Map<String, Object>> allSymbols() {
    Map<String, Map<String, Object>> all = new LinkedHashMap<>();
    String uri = "/symbols";
    while (uri != null) {
      Page p = page(uri);
      for (Map<String, Object> row : p.rows()) {
        assertThat(all.put((String) row.get("symbol"), row)).as("seen twice: %s", row).isNull();
      }
      uri = p.next();
    }
    assertThat(List.copyOf(all.keySet())).isSortedAccordingTo(Comparator.naturalOrder());
    return all;
  }

  private static BigDecimal decimal(Object jsonNumber) {
    return new BigDecimal(String.valueOf(jsonNumber));
  }

  @Test
  void symbolsListsLatestPriceAndDayChange() {
    Map<String, Map<String, Object>> all = allSymbols();
    Map<String, Object> row = all.get(SYM);
    assertThat(decimal(row.get("lastPrice"))).isEqualByComparingTo("99.99");
    assertThat(row.get("lastTradeAt")).isEqualTo("2026-01-06T10:00:00.000Z");
    assertThat(decimal(row.get("dayOpen"))).isEqualByComparingTo("99");
    assertThat(decimal(row.get("dayChange"))).isEqualByComparingTo("0.99");
    assertThat(decimal(row.get("dayChangePercent"))).isEqualByComparingTo("1");
    assertThat(all.get("AAPL").get("name")).isEqualTo("Apple Inc.");
  }

  @Test
  void aTradeFromTheFutureNeverBecomesThePrice() {
    String sym = TradeFixtures.uniqueSymbol("F");
    TestDatabase.execute(
        "INSERT INTO symbols (symbol, name) VALUES ('" + sym + "', 'Future Test')",
        "INSERT INTO trades (ts, symbol, trade_id, price, size, source) VALUES"
            + " ('2026-01-06T10:00:00Z', '"
            + sym
            + "', 'now', 10.5, 1, 'test'),"
            + " ('2099-06-01T00:00:00Z', '"
            + sym
            + "', 'future', 99, 1, 'test')");
    Map<String, Object> row = allSymbols().get(sym);
    assertThat(decimal(row.get("lastPrice"))).isEqualByComparingTo("10.5");
    assertThat(row.get("lastTradeAt")).isEqualTo("2026-01-06T10:00:00.000Z");
    // the symbol directory re-reads the table on a miss at most once a second
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                get("/symbols/" + sym + "/price")
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .jsonPath("$.price")
                    .isEqualTo(10.5)
                    .jsonPath("$.source")
                    .isEqualTo("database")
                    .jsonPath("$.ageMillis")
                    .value(age -> assertThat(((Number) age).longValue()).isPositive()));
  }

  /** Six characters no other test's symbols start with. */
  private static String uniquePrefix(String two) {
    return two + TradeFixtures.uniqueSymbol("X").substring(1, 5);
  }

  @Test
  void symbolsComeInPagesWithALinkToTheNext() {
    String base = uniquePrefix("PG");
    TestDatabase.execute(
        "INSERT INTO symbols (symbol, name) VALUES ('"
            + base
            + "A', 'a'), ('"
            + base
            + "B', 'b'), ('"
            + base
            + "C', 'c')");
    Page first = page("/symbols?limit=2&after=" + base.toLowerCase());
    assertThat(first.rows())
        .extracting(r -> r.get("symbol"))
        .containsExactly(base + "A", base + "B");
    assertThat(first.next()).isEqualTo("/symbols?limit=2&after=" + base + "B");
    assertThat(page(first.next()).rows().get(0).get("symbol")).isEqualTo(base + "C");
    assertThat(page("/symbols?after=" + base + "B").rows().get(0).get("symbol"))
        .isEqualTo(base + "C");
  }

  @Test
  void unfilteredMetricsComeInPagesOfSymbols() {
    String base = uniquePrefix("MT");
    TestDatabase.execute(
        "INSERT INTO symbols (symbol, name) VALUES ('"
            + base
            + "A', 'a'), ('"
            + base
            + "B', 'b'), ('"
            + base
            + "C', 'c')");
    for (String s : List.of(base + "A", base + "C")) {
      TestDatabase.execute(
          "INSERT INTO aggregated_metrics (window_start, symbol, \"window\", window_end, open, high,"
              + " low, close, volume, vwap, trade_count, price_range) VALUES"
              + " ('2026-01-06T10:00:00Z', '"
              + s
              + "', '1m', '2026-01-06T10:01:00Z', 1, 2, 1, 2, 3, 1.5, 2, 1)");
    }
    // a page holds 2 symbols; the second (B) has no metrics, the next page starts after it
    Page first = page("/metrics?window=1m&limit=2&after=" + base);
    assertThat(first.rows()).extracting(r -> r.get("symbol")).containsExactly(base + "A");
    assertThat(first.next()).isEqualTo("/metrics?window=1m&limit=2&after=" + base + "B");
    Page second = page(first.next());
    assertThat(second.rows().get(0))
        .containsEntry("symbol", base + "C")
        .containsEntry("window", "1m")
        .containsEntry("windowStart", "2026-01-06T10:00:00.000Z");
  }

  @Test
  void priceComesFromTheDatabaseThenFromTheLiveStream() {
    get("/symbols/" + SYM.toLowerCase() + "/price")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.symbol")
        .isEqualTo(SYM)
        .jsonPath("$.price")
        .isEqualTo(99.99)
        .jsonPath("$.ts")
        .isEqualTo("2026-01-06T10:00:00.000Z")
        .jsonPath("$.source")
        .isEqualTo("database");

    Trade live = new Trade(SYM, new BigDecimal("100.5"), 7, Instant.now(), "live-1", "test");
    KafkaTestBroker.produce(
        INFRA.trades,
        List.of(
            new ProducerRecord<>(
                INFRA.trades,
                SYM.getBytes(StandardCharsets.UTF_8),
                new TradeCodec().encode(live))));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                get("/symbols/" + SYM + "/price")
                    .expectBody()
                    .jsonPath("$.source")
                    .isEqualTo("stream")
                    .jsonPath("$.price")
                    .isEqualTo(100.5));
  }

  @Test
  void historyPagesNewestFirstWithExactBars() {
    get("/symbols/" + SYM + "/history?window=1m&limit=2")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.order")
        .isEqualTo("desc")
        .jsonPath("$.bars.length()")
        .isEqualTo(2)
        .jsonPath("$.bars[0]")
        .isEqualTo(
            Map.ofEntries(
                Map.entry("symbol", SYM),
                Map.entry("window", "1m"),
                Map.entry("windowStart", "2026-01-06T10:04:00.000Z"),
                Map.entry("windowEnd", "2026-01-06T10:05:00.000Z"),
                Map.entry("open", 104.5),
                Map.entry("high", 104.75),
                Map.entry("low", 104.25),
                Map.entry("close", 104.5),
                Map.entry("volume", 104),
                Map.entry("vwap", 104.12345678),
                Map.entry("tradeCount", 7),
                Map.entry("priceRange", 0.5)))
        .jsonPath("$.bars[1].windowStart")
        .isEqualTo("2026-01-06T10:03:00.000Z")
        .jsonPath("$.next")
        .isEqualTo(
            "/symbols/"
                + SYM
                + "/history?window=1m&limit=2&order=desc&to=2026-01-06T10:03:00.000Z");

    String next =
        "/symbols/" + SYM + "/history?window=1m&limit=2&order=desc&to=2026-01-06T10:03:00.000Z";
    get(next)
        .expectBody()
        .jsonPath("$.bars[*].windowStart")
        .isEqualTo(List.of("2026-01-06T10:02:00.000Z", "2026-01-06T10:01:00.000Z"));
    get("/symbols/" + SYM + "/history?window=1m&limit=2&order=desc&to=2026-01-06T10:01:00.000Z")
        .expectBody()
        .jsonPath("$.bars[*].windowStart")
        .isEqualTo(List.of("2026-01-06T10:00:00.000Z"))
        .jsonPath("$.next")
        .doesNotExist();
  }

  @Test
  void historyOldestFirstWithinARange() {
    get("/symbols/"
            + SYM
            + "/history?window=1m&order=asc&from=2026-01-06T10:01:00Z&to=1767693780000")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.bars[*].windowStart")
        .isEqualTo(List.of("2026-01-06T10:01:00.000Z", "2026-01-06T10:02:00.000Z"))
        .jsonPath("$.from")
        .isEqualTo("2026-01-06T10:01:00.000Z")
        .jsonPath("$.to")
        .isEqualTo("2026-01-06T10:03:00.000Z");
  }

  @Test
  void metricsGiveTheLatestBarPerWindow() {
    get("/metrics?symbols=" + SYM + "&window=1m,5m")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.length()")
        .isEqualTo(2)
        .jsonPath("$[0].window")
        .isEqualTo("1m")
        .jsonPath("$[0].windowStart")
        .isEqualTo("2026-01-06T10:04:00.000Z")
        .jsonPath("$[1].window")
        .isEqualTo("5m")
        .jsonPath("$[1].vwap")
        .isEqualTo(102.00000001);
  }

  private void problem(String uri, int status, String type, String detailPart) {
    get(uri)
        .expectStatus()
        .isEqualTo(status)
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo(type)
        .jsonPath("$.status")
        .isEqualTo(status)
        .jsonPath("$.detail")
        .value(d -> assertThat((String) d).contains(detailPart));
  }

  @Test
  void everyErrorIsAProblemWithAStableType() {
    String base = "https://papertape.dev/problems/";
    problem("/symbols/NOPE/price", 404, base + "unknown-symbol", "'NOPE' is not tracked");
    problem("/symbols/%24%24/history", 404, base + "unknown-symbol", "is not tracked");
    problem(
        "/symbols/" + SYM + "/history?window=2m",
        400,
        base + "invalid-parameter",
        "accepted: 1s, 1m, 5m, 1h, 1d");
    problem(
        "/symbols/" + SYM + "/history?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z",
        400,
        base + "invalid-parameter",
        "must be before");
    problem(
        "/symbols/" + SYM + "/history?limit=0",
        400,
        base + "invalid-parameter",
        "between 1 and 5000");
    problem(
        "/symbols/" + SYM + "/history?limit=5001",
        400,
        base + "invalid-parameter",
        "between 1 and 5000");
    problem("/symbols/" + SYM + "/history?limit=ten", 400, base + "invalid-parameter", "limit");
    problem(
        "/symbols/" + SYM + "/history?from=yesterday", 400, base + "invalid-parameter", "ISO-8601");
    problem(
        "/symbols/" + SYM + "/history?to=253402300800000",
        400,
        base + "invalid-parameter",
        "between years 1 and 9999");
    problem(
        "/symbols/" + SYM + "/history?order=sideways",
        400,
        base + "invalid-parameter",
        "asc or desc");
    problem("/metrics?symbols=NOPE", 404, base + "unknown-symbol", "NOPE");
    problem("/metrics?window=1w", 400, base + "invalid-parameter", "'1w' is not a window");
    problem("/symbols?limit=0", 400, base + "invalid-parameter", "between 1 and 1000");
    problem("/symbols?limit=1001", 400, base + "invalid-parameter", "between 1 and 1000");
    problem("/symbols?limit=ten", 400, base + "invalid-parameter", "limit");
    problem("/symbols?after=%24%24", 400, base + "invalid-parameter", "not a valid symbol");
    problem("/metrics?limit=0", 400, base + "invalid-parameter", "between 1 and 1000");
    problem("/metrics?after=%24%24", 400, base + "invalid-parameter", "not a valid symbol");
    get("/no/such/route")
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
  }

  @Test
  void aSymbolWithoutTradesHasNoPriceYet() {
    String fresh = "N" + SYM.substring(1);
    TestDatabase.execute("INSERT INTO symbols (symbol, name) VALUES ('" + fresh + "', 'Fresh')");
    // the symbol directory re-reads the table on a miss at most once a second
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                problem(
                    "/symbols/" + fresh + "/price",
                    404,
                    "https://papertape.dev/problems/no-data",
                    "No trade of " + fresh));
  }

  @Test
  void openApiDescribesEveryEndpointAndSwaggerUiIsServed() {
    get("/v3/api-docs")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.paths['/symbols']")
        .exists()
        .jsonPath("$.paths['/symbols/{symbol}/price']")
        .exists()
        .jsonPath("$.paths['/symbols/{symbol}/history'].get.parameters[?(@.name == 'window')]")
        .exists()
        .jsonPath("$.paths['/metrics']")
        .exists()
        .jsonPath("$.paths['/stream/{channel}']")
        .exists();
    get("/swagger-ui.html").expectStatus().is3xxRedirection();
  }
}
