package dev.papertape.api.portfolio.valuation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.papertape.api.RealInfrastructure;
import dev.papertape.api.config.ClockProperties;
import dev.papertape.api.market.LatestPrices;
import dev.papertape.api.security.TestUsers;
import dev.papertape.testing.TestDatabase;
import dev.papertape.testing.TradeFixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.ConnectionFactories;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;

/**
 * The snapshot writer on the real test TimescaleDB: two writers (two API instances) in one interval
 * write one row per portfolio; the value is cash + Σ round(quantity × latest price, 2) exactly,
 * with the stream's newer price, no trade beyond the horizon, and average cost for a symbol without
 * any price; the schedule writes each interval at its start; a database out of reach fails a run,
 * never the schedule. The context's own writer is off (test config); these start their own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class SnapshotWriterIT {
  static final RealInfrastructure INFRA = new RealInfrastructure();
  static final String PRICED = TradeFixtures.uniqueSymbol("SA");
  static final String SHORT = TradeFixtures.uniqueSymbol("SB");
  static final String UNPRICED = TradeFixtures.uniqueSymbol("SC");
  static final String STREAMED = TradeFixtures.uniqueSymbol("SD");
  static final String FUTURE = TradeFixtures.uniqueSymbol("SE");
  static final Duration MINUTE = Duration.ofSeconds(60);

  @Autowired Valuations valuations;
  @Autowired LatestPrices latest;
  @Autowired ClockProperties time;

  static long invested;
  static long empty;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry r) {
    INFRA.register(r);
  }

  static long portfolio(String cash) {
    long user = TestUsers.create(TestUsers.uniqueName("snap"), "snapshot-pw");
    return ((Number)
            TestDatabase.query(
                    "INSERT INTO portfolios (user_id, starting_cash, cash) VALUES (?, ?, ?)"
                        + " RETURNING id",
                    user,
                    new BigDecimal(cash),
                    new BigDecimal(cash))
                .get(0)
                .get("id"))
        .longValue();
  }

  @BeforeAll
  static void fixture() {
    invested = portfolio("1000.00");
    empty = portfolio("500.00");
    TestDatabase.execute(
        "INSERT INTO symbols (symbol, name) VALUES ('"
            + PRICED
            + "', 'A'), ('"
            + SHORT
            + "', 'B'), ('"
            + STREAMED
            + "', 'D'), ('"
            + FUTURE
            + "', 'E')",
        "INSERT INTO trades (ts, symbol, trade_id, price, size, source) VALUES"
            // the newest trade counts, not an older one
            + " (now() - interval '1 hour', '"
            + PRICED
            + "', 'a0', 50.00, 1, 'test'),"
            + " (now() - interval '1 second', '"
            + PRICED
            + "', 'a1', 100.12345678, 1, 'test'),"
            + " (now() - interval '1 second', '"
            + SHORT
            + "', 'b1', 10.005, 1, 'test'),"
            // older than the stream's price of the same symbol
            + " (now() - interval '1 hour', '"
            + STREAMED
            + "', 'd0', 20.00, 1, 'test'),"
            // a trade from beyond the horizon (the clock + PAPERTAPE_MAX_CLOCK_SKEW) never counts
            + " (now() - interval '1 minute', '"
            + FUTURE
            + "', 'e0', 30.00, 1, 'test'),"
            + " (now() + interval '1 hour', '"
            + FUTURE
            + "', 'e1', 999.00, 1, 'test')",
        "INSERT INTO positions (portfolio_id, symbol, quantity, avg_cost) VALUES"
            + " ("
            + invested
            + ", '"
            + PRICED
            + "', 3, 90),"
            + " ("
            + invested
            + ", '"
            + SHORT
            + "', -1, 10.00),"
            + " ("
            + invested
            + ", '"
            + UNPRICED
            + "', 7, 12.345),"
            + " ("
            + invested
            + ", '"
            + STREAMED
            + "', 2, 19.00),"
            + " ("
            + invested
            + ", '"
            + FUTURE
            + "', 1, 25.00)");
  }

  SnapshotWriter writer(Valuations v, Clock clock, Duration interval) {
    return new SnapshotWriter(
        v, clock, time, new SnapshotProperties(interval), new SimpleMeterRegistry());
  }

  static List<Map<String, Object>> rows(long portfolio, Instant ts) {
    return TestDatabase.query(
        "SELECT epoch, cash, positions_value, total_value, open_positions FROM portfolio_snapshots"
            + " WHERE portfolio_id = ? AND ts = ?",
        portfolio,
        Timestamp.from(ts));
  }

  static BigDecimal dec(Map<String, Object> row, String column) {
    return (BigDecimal) row.get(column);
  }

  @Test
  void twoInstancesInOneIntervalWriteEachPortfolioOnceAtExactValues() {
    latest.update(TradeFixtures.trade(STREAMED, "21.50", 1, Instant.now().minusSeconds(1)));
    Clock clock = Clock.fixed(Instant.now(), ZoneOffset.UTC);
    Instant ts = SnapshotWriter.intervalStart(clock.instant(), MINUTE);
    SnapshotWriter one = writer(valuations, clock, MINUTE);
    SnapshotWriter two = writer(valuations, clock, MINUTE);

    List<Valuations.Written> runs =
        Mono.zip(one.writeNow(), two.writeNow(), (a, b) -> List.of(a, b)).block();

    assertThat(runs).extracting(Valuations.Written::ts).containsOnly(ts);
    assertThat(runs.get(0).unpriced()).contains(UNPRICED).doesNotContain(PRICED, STREAMED);
    // between them the two wrote every portfolio once: each row by one of them
    assertThat(runs.get(0).written() + runs.get(1).written()).isEqualTo(runs.get(0).portfolios());

    List<Map<String, Object>> a = rows(invested, ts);
    assertThat(a).hasSize(1);
    // 1000.00 + 3 × 100.12345678 = 300.37037034 → 300.37
    //         + (−1) × 10.005 = −10.005 → −10.01 (half-up: ties away from zero)
    //         + 7 × 12.345 (no price: average cost) = 86.415 → 86.42
    //         + 2 × 21.50 (the stream's, newer than the stored 20.00) = 43.00
    //         + 1 × 30.00 (the trade 1 h ahead is beyond the horizon) = 30.00
    // positions 449.78, total 1449.78
    assertThat(dec(a.get(0), "cash")).isEqualByComparingTo("1000.00");
    assertThat(dec(a.get(0), "positions_value")).isEqualTo(new BigDecimal("449.78"));
    assertThat(dec(a.get(0), "total_value")).isEqualTo(new BigDecimal("1449.78"));
    assertThat(a.get(0).get("open_positions")).isEqualTo(5);
    assertThat(a.get(0).get("epoch")).isEqualTo(1);

    List<Map<String, Object>> b = rows(empty, ts);
    assertThat(b).hasSize(1);
    assertThat(dec(b.get(0), "positions_value")).isEqualTo(new BigDecimal("0.00"));
    assertThat(dec(b.get(0), "total_value")).isEqualTo(new BigDecimal("500.00"));
    assertThat(b.get(0).get("open_positions")).isEqualTo(0);

    // a third run in the same interval (a restart) writes nothing and changes nothing
    TestDatabase.execute("UPDATE portfolios SET cash = 1.00 WHERE id = " + empty);
    assertThat(one.writeNow().block().written()).isZero();
    assertThat(dec(rows(empty, ts).get(0), "total_value")).isEqualTo(new BigDecimal("500.00"));
    TestDatabase.execute("UPDATE portfolios SET cash = 500.00 WHERE id = " + empty);

    // the live valuation of one portfolio is the same figure
    Valuations.Value live = valuations.live(invested, time.horizon(clock)).block();
    assertThat(live.totalValue()).isEqualTo(new BigDecimal("1449.78"));
    assertThat(live.positionsValue()).isEqualTo(new BigDecimal("449.78"));
    assertThat(live.openPositions()).isEqualTo(5);
    assertThat(live.unpriced()).containsExactly(UNPRICED);
  }

  @Test
  void theScheduleWritesEachIntervalAtItsStart() {
    Instant started = Instant.now();
    SnapshotWriter w = writer(valuations, Clock.systemUTC(), Duration.ofSeconds(1));
    w.start();
    try {
      assertThat(w.isRunning()).isTrue();
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  TestDatabase.query(
                                  "SELECT count(*) AS n FROM portfolio_snapshots WHERE portfolio_id = ?"
                                      + " AND ts >= ?",
                                  empty,
                                  Timestamp.from(started.minusSeconds(1)))
                              .get(0)
                              .get("n")
                          instanceof Long n
                      && n >= 3);
    } finally {
      w.stop();
    }
    assertThat(w.isRunning()).isFalse();
    List<Map<String, Object>> ts =
        TestDatabase.query(
            "SELECT ts, total_value FROM portfolio_snapshots WHERE portfolio_id = ? AND ts >= ?"
                + " ORDER BY ts",
            empty,
            Timestamp.from(started.minusSeconds(1)));
    for (Map<String, Object> row : ts) {
      // each at a whole second (the start of its interval), valued at the cash
      assertThat(((Timestamp) row.get("ts")).toInstant().toEpochMilli() % 1000).isZero();
      assertThat(dec(row, "total_value")).isEqualByComparingTo("500.00");
    }
  }

  @Test
  void aDatabaseOutOfReachFailsRunsNeverTheSchedule() {
    DatabaseClient nowhere =
        DatabaseClient.create(
            ConnectionFactories.get(
                "r2dbc:postgresql://papertape:papertape@127.0.0.1:1/nowhere?connectTimeout=PT1S"));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SnapshotWriter w =
        new SnapshotWriter(
            new Valuations(nowhere, latest),
            Clock.systemUTC(),
            time,
            new SnapshotProperties(Duration.ofSeconds(1)),
            registry);
    // one run: the failure is absorbed (logged), the Mono completes
    w.runOnce().block(Duration.ofSeconds(5));
    w.start();
    try {
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  registry
                          .get("papertape.portfolio.snapshots.runs")
                          .tag("outcome", "failed")
                          .counter()
                          .count()
                      >= 4);
      assertThat(w.isRunning()).isTrue();
    } finally {
      w.stop();
    }
  }
}
