package dev.papertape.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.papertape.testing.TestDatabase;
import dev.papertape.testing.TradeFixtures;
import java.io.File;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * notebooks/market-analytics.ipynb executed headless (Debian's nbconvert) against the test
 * database: it runs without error, its recomputation from trades agrees with the stored metrics,
 * and its candles equal the API's history for the same symbol, window and range.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class NotebookIT {
  static final RealInfrastructure INFRA = new RealInfrastructure();
  static final String SYM = TradeFixtures.uniqueSymbol("NB");
  static final Path NOTEBOOK =
      Path.of("..", "notebooks", "market-analytics.ipynb").toAbsolutePath().normalize();

  @Autowired WebTestClient client;
  @TempDir Path out;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry r) {
    INFRA.register(r);
  }

  @Test
  void theNotebookRunsAndAgreesWithTheApi() throws Exception {
    TestDatabase.execute(
        "INSERT INTO symbols (symbol, name) VALUES ('" + SYM + "', 'Notebook Test')",
        // 3 hours of trades every 7 s with deterministic prices
        "INSERT INTO trades (ts, symbol, trade_id, price, size, source)"
            + " SELECT TIMESTAMPTZ '2026-01-07 14:00:00+00' + g * INTERVAL '7 seconds', '"
            + SYM
            + "',"
            + " 'nb-' || g, round((100 + 5 * sin(g / 50.0))::numeric + (g % 13) * 0.01, 2), 1 + g % 17, 'test'"
            + " FROM generate_series(0, 1542) AS g",
        // the metrics the pipeline would store
        "INSERT INTO aggregated_metrics (window_start, symbol, \"window\", window_end, open, high,"
            + " low, close, volume, vwap, trade_count, price_range)"
            + " SELECT time_bucket(INTERVAL '1 minute', ts) AS b, symbol, '1m',"
            + " time_bucket(INTERVAL '1 minute', ts) + INTERVAL '1 minute', first(price, ts), max(price),"
            + " min(price), last(price, ts), sum(size), round(sum(price * size) / sum(size), 8), count(*),"
            + " max(price) - min(price) FROM trades WHERE symbol = '"
            + SYM
            + "' GROUP BY b, symbol");

    String from = "2026-01-07T15:00:00Z";
    String to = "2026-01-07T16:00:00Z";
    Path export = out.resolve("export.json");
    URI db = URI.create(TestDatabase.URL.substring("jdbc:".length()));
    ProcessBuilder pb =
        new ProcessBuilder(
                "/usr/bin/jupyter",
                "nbconvert",
                "--to",
                "notebook",
                "--execute",
                NOTEBOOK.toString(),
                "--output-dir",
                out.toString(),
                "--output",
                "executed",
                "--ExecutePreprocessor.timeout=180")
            .redirectErrorStream(true)
            .redirectOutput(out.resolve("nbconvert.log").toFile());
    Map<String, String> env = pb.environment();
    env.put("PGHOST", db.getHost());
    env.put("PGPORT", Integer.toString(db.getPort()));
    env.put("PGDATABASE", db.getPath().substring(1));
    env.put("PGUSER", TestDatabase.USER);
    env.put("PGPASSWORD", TestDatabase.PASSWORD);
    env.put("PAPERTAPE_NB_SYMBOLS", SYM);
    env.put("PAPERTAPE_NB_SYMBOL", SYM);
    env.put("PAPERTAPE_NB_WINDOW", "1m");
    env.put("PAPERTAPE_NB_FROM", from);
    env.put("PAPERTAPE_NB_TO", to);
    env.put("PAPERTAPE_NB_EXPORT", export.toString());
    env.put("PAPERTAPE_NB_PLOTS", out.resolve("plots").toString());
    env.put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
    Process p = pb.start();
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("nbconvert finished").isTrue();
    assertThat(p.exitValue())
        .as("nbconvert exit code; log:%n%s", Files.readString(out.resolve("nbconvert.log")))
        .isZero();

    JsonNode nb = new ObjectMapper().readTree(export.toFile());
    assertThat(nb.get("mismatches").asInt()).isZero();
    assertThat(nb.get("candles")).hasSize(60);
    assertThat(nb.get("recomputedCandles")).isEqualTo(nb.get("candles"));
    assertThat(new File(out.resolve("plots").toString()).list()).isNotEmpty();

    byte[] body =
        client
            .get()
            .uri(
                "/symbols/"
                    + SYM
                    + "/history?window=1m&order=asc&limit=1000&from="
                    + from
                    + "&to="
                    + to)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();
    JsonNode api = new ObjectMapper().readTree(body).get("bars");
    assertThat(candles(api)).isEqualTo(candles(nb.get("candles")));
  }

  /** windowStart|open|high|low|close|volume|vwap|tradeCount, numbers normalised. */
  private static List<String> candles(JsonNode list) {
    List<String> lines = new ArrayList<>();
    for (JsonNode c : list) {
      lines.add(
          String.join(
              "|",
              c.get("windowStart").asText(),
              num(c.get("open")),
              num(c.get("high")),
              num(c.get("low")),
              num(c.get("close")),
              num(c.get("volume")),
              num(c.get("vwap")),
              num(c.get("tradeCount"))));
    }
    return lines;
  }

  private static String num(JsonNode n) {
    return new BigDecimal(n.asText()).stripTrailingZeros().toPlainString();
  }
}
