package dev.papertape.api.market;

import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.model.MetricWindow;
import dev.papertape.model.WindowMetrics;
import dev.papertape.testing.TestDatabase;
import dev.papertape.testing.TradeFixtures;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.test.StepVerifier;

/**
 * {@link MarketRepository}'s SQL on the real test TimescaleDB (migrated by Flyway), over a plain
 * R2DBC {@link DatabaseClient}: no Spring context, exact rows back.
 */
class MarketRepositoryIT {
  static final Instant HORIZON = Instant.parse("2026-01-06T12:00:00Z");
  static final Instant T10 = Instant.parse("2026-01-06T10:00:00Z");

  /** Six characters no other test's symbols start with; this test's symbols are P + A, B, C, D. */
  static final String P = "RP" + TradeFixtures.uniqueSymbol("X").substring(1, 5);

  static MarketRepository repo;

  @BeforeAll
  static void knownData() {
    ConnectionFactoryOptions options =
        ConnectionFactoryOptions.parse(TestDatabase.migrated().replace("jdbc:", "r2dbc:"))
            .mutate()
            .option(ConnectionFactoryOptions.USER, TestDatabase.USER)
            .option(ConnectionFactoryOptions.PASSWORD, TestDatabase.PASSWORD)
            .build();
    repo = new MarketRepository(DatabaseClient.create(ConnectionFactories.get(options)));

    TestDatabase.execute(
        "INSERT INTO symbols (symbol, name, active) VALUES ('"
            + P
            + "A', 'a', true), ('"
            + P
            + "B', 'b', true), ('"
            + P
            + "C', 'c', true), ('"
            + P
            + "D', 'd', false)",
        "INSERT INTO trades (ts, symbol, trade_id, price, size, source) VALUES"
            + " ('2026-01-05T14:30:00Z', '"
            + P
            + "A', 'a1', 100.00, 10, 'test'),"
            + " ('2026-01-06T09:00:00Z', '"
            + P
            + "A', 'a2', 99.00, 1, 'test'),"
            + " ('2026-01-06T10:00:00Z', '"
            + P
            + "A', 'a3', 99.99, 2, 'test'),"
            + " ('2099-06-01T00:00:00Z', '"
            + P
            + "A', 'future', 500, 1, 'test'),"
            + " ('2026-01-06T11:00:00Z', '"
            + P
            + "C', 'c1', 10.50, 1, 'test'),"
            + " ('2026-01-06T11:00:00Z', '"
            + P
            + "D', 'd1', 1, 1, 'test')");
    for (int i = 0; i < 5; i++) {
      TestDatabase.execute(
          String.format(
              "INSERT INTO aggregated_metrics (window_start, symbol, \"window\", window_end, open,"
                  + " high, low, close, volume, vwap, trade_count, price_range) VALUES"
                  + " ('2026-01-06T10:0%d:00Z', '%sA', '1m', '2026-01-06T10:0%d:00Z', 10%d.5,"
                  + " 10%d.75, 10%d.25, 10%d.5, %d, 10%d.12345678, %d, 0.5)",
              i, P, i + 1, i, i, i, i, 100 + i, i, 3 + i));
    }
    TestDatabase.execute(
        "INSERT INTO aggregated_metrics (window_start, symbol, \"window\", window_end, open, high,"
            + " low, close, volume, vwap, trade_count, price_range) VALUES"
            + " ('2026-01-06T10:00:00Z', '"
            + P
            + "A', '5m', '2026-01-06T10:05:00Z', 100.5, 104.75, 100.25, 104.5, 510,"
            + " 102.00000001, 25, 4.5),"
            + " ('2026-01-06T10:00:00Z', '"
            + P
            + "C', '1m', '2026-01-06T10:01:00Z', 1, 2, 1, 2, 3, 1.5, 2, 1)");
  }

  private static BigDecimal d(String s) {
    return new BigDecimal(s);
  }

  /** The 1m bar of {@code P}A starting at 10:0i, as stored (canonical decimals). */
  private static WindowMetrics bar(int i) {
    Instant start = T10.plusSeconds(60L * i);
    return new WindowMetrics(
        P + "A",
        MetricWindow.M1,
        start,
        start.plusSeconds(60),
        d("10" + i + ".5"),
        d("10" + i + ".75"),
        d("10" + i + ".25"),
        d("10" + i + ".5"),
        100 + i,
        d("10" + i + ".12345678"),
        3 + i,
        d("0.5"));
  }

  @Test
  void symbolsComeInPagesWithTheLatestPriceUpToTheHorizonAndTheDayChange() {
    StepVerifier.create(repo.symbols(P, 2, HORIZON))
        .assertNext(
            page -> {
              assertThat(page.items())
                  .containsExactly(
                      new SymbolSummary(
                          P + "A", "a", "SIM", "USD", d("99.99"), T10, d("99"), d("0.99"), d("1")),
                      new SymbolSummary(P + "B", "b", "SIM", "USD", null, null, null, null, null));
              assertThat(page.next()).isEqualTo(P + "B");
            })
        .verifyComplete();
    // the last page of this test's symbols: C, never the inactive D
    StepVerifier.create(repo.symbols(P + "B", 1000, HORIZON))
        .assertNext(
            page -> {
              assertThat(page.items().get(0))
                  .isEqualTo(
                      new SymbolSummary(
                          P + "C",
                          "c",
                          "SIM",
                          "USD",
                          d("10.5"),
                          T10.plusSeconds(3600),
                          d("10.5"),
                          BigDecimal.ZERO,
                          BigDecimal.ZERO));
              assertThat(page.items()).extracting(SymbolSummary::symbol).doesNotContain(P + "D");
            })
        .verifyComplete();
  }

  @Test
  void theLatestTradeIsTheNewestUpToTheHorizon() {
    // compared by value: this read keeps the column's scale (99.99000000), unlike the others
    StepVerifier.create(repo.latestTrade(P + "A", HORIZON))
        .assertNext(
            p -> {
              assertThat(p.price()).isEqualByComparingTo("99.99");
              assertThat(p.ts()).isEqualTo(T10);
            })
        .verifyComplete();
    StepVerifier.create(repo.latestTrade(P + "A", Instant.parse("2100-01-01T00:00:00Z")))
        .assertNext(
            p -> {
              assertThat(p.price()).isEqualByComparingTo("500");
              assertThat(p.ts()).isEqualTo(Instant.parse("2099-06-01T00:00:00Z"));
            })
        .verifyComplete();
    StepVerifier.create(repo.latestTrade(P + "B", HORIZON)).verifyComplete();
  }

  @Test
  void historyReadsBarsOfOneSizeWithinBoundsInEitherOrder() {
    StepVerifier.create(repo.history(P + "A", MetricWindow.M1, null, null, 2, false))
        .expectNext(bar(4), bar(3))
        .verifyComplete();
    // from inclusive, to exclusive
    StepVerifier.create(
            repo.history(
                P + "A", MetricWindow.M1, T10.plusSeconds(60), T10.plusSeconds(180), 10, true))
        .expectNext(bar(1), bar(2))
        .verifyComplete();
    StepVerifier.create(repo.history(P + "A", MetricWindow.H1, null, null, 10, false))
        .verifyComplete();
  }

  @Test
  void latestMetricsPageBySymbolAndListWindowSizesInTheOrderAsked() {
    WindowMetrics fiveMinutes =
        new WindowMetrics(
            P + "A",
            MetricWindow.M5,
            T10,
            T10.plusSeconds(300),
            d("100.5"),
            d("104.75"),
            d("100.25"),
            d("104.5"),
            510,
            d("102.00000001"),
            25,
            d("4.5"));
    // a page of 2 symbols: A with both sizes, B without bars (it still fills its place)
    StepVerifier.create(
            repo.latestMetrics(List.of(), List.of(MetricWindow.M1, MetricWindow.M5), P, 2))
        .assertNext(
            page -> {
              assertThat(page.items()).containsExactly(bar(4), fiveMinutes);
              assertThat(page.next()).isEqualTo(P + "B");
            })
        .verifyComplete();
    StepVerifier.create(
            repo.latestMetrics(
                List.of(P + "C", P + "A", P + "D"),
                List.of(MetricWindow.M5, MetricWindow.M1),
                "",
                10))
        .assertNext(
            page -> {
              assertThat(page.items())
                  .extracting(m -> m.symbol() + " " + m.window().label())
                  .containsExactly(P + "A 5m", P + "A 1m", P + "C 1m");
              assertThat(page.next()).isNull();
            })
        .verifyComplete();
  }
}
