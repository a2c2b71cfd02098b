package dev.papertape.flink.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.papertape.model.Trade;
import dev.papertape.testing.KafkaTestBroker;
import dev.papertape.testing.TestDatabase;
import dev.papertape.testing.TradeFixtures;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The sinks on the real TimescaleDB and the real Kafka broker. Their SQL batched exactly as the
 * sinks batch it: a window emitted and then re-emitted (a late trade within the allowed lateness)
 * in the same batch must end as the second version, a trade replayed in the same batch must be
 * stored once, a stored bar never shrinks, registration stops at the symbol limit. And the sink
 * itself in a Flink job: a row the database refuses goes to the dead-letter topic while the rest of
 * its batch is stored and the job finishes normally.
 */
class JdbcSinksIT {
  /** Refuses trades whose id starts with {@code db-refuse-}, as a constraint would. */
  static void installRefusingTrigger() {
    TestDatabase.migrated();
    TestDatabase.execute(
        "CREATE OR REPLACE FUNCTION papertape_test_refuse() RETURNS trigger LANGUAGE plpgsql AS"
            + " $$ BEGIN RAISE EXCEPTION 'refused by the test trigger' USING ERRCODE ="
            + " 'check_violation'; END $$",
        "DROP TRIGGER IF EXISTS papertape_test_refuse ON trades",
        "CREATE TRIGGER papertape_test_refuse BEFORE INSERT ON trades FOR EACH ROW WHEN"
            + " (NEW.trade_id LIKE 'db-refuse-%') EXECUTE FUNCTION papertape_test_refuse()");
  }

  @Test
  void aRowTheDatabaseRefusesGoesToTheDeadLetterTopicAndTheRestOfItsBatchIsStored()
      throws Exception {
    installRefusingTrigger();
    String symbol = TradeFixtures.uniqueSymbol("D");
    String dlq = KafkaTestBroker.uniqueTopic("dlq");
    KafkaTestBroker.createTopic(dlq, 1);
    List<Trade> rows = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String id = i == 17 || i == 33 ? "db-refuse-" + i : "ok-" + i;
      rows.add(TradeFixtures.withId(TradeFixtures.trade(symbol, "10", 1, START.plusMillis(i)), id));
    }
    JdbcSinks.Target target =
        new JdbcSinks.Target(
            new JdbcSinks.Connection(
                TestDatabase.migrated(), TestDatabase.USER, TestDatabase.PASSWORD),
            DeadLetterChannel.kafka(KafkaTestBroker.bootstrap(), dlq),
            new JdbcUpsertSink.Options(1000, Duration.ofMillis(200), Duration.ofSeconds(30)));
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none"); // any failure fails the test
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(1);
    env.fromData(rows).sinkTo(JdbcSinks.trades(target));
    env.execute("refused-row-it");

    assertThat(
            TestDatabase.query(
                "SELECT count(*) AS n FROM trades WHERE symbol = ? AND trade_id LIKE 'ok-%'",
                symbol))
        .containsExactly(Map.of("n", 48L));
    List<JsonNode> letters = new ArrayList<>();
    for (var r : KafkaTestBroker.consume(dlq, 2, Duration.ofSeconds(20))) {
      letters.add(JSON.readTree(r.value()));
    }
    assertThat(letters).hasSize(2);
    for (JsonNode j : letters) {
      assertThat(j.get("stage").asText()).isEqualTo("store");
      assertThat(j.get("topic").asText()).isEqualTo("trades");
      assertThat(j.get("key").asText()).isEqualTo(symbol);
      assertThat(j.get("error").asText())
          .startsWith("the database refused the row (SQLState 23514)")
          .contains("refused by the test trigger");
      assertThat(j.get("raw").asText()).contains("\"tradeId\":\"db-refuse-");
    }
  }

  @Test
  void aStoredBarIsNeverReplacedByOneCoveringFewerTrades() throws Exception {
    String symbol = TradeFixtures.uniqueSymbol("N");
    String url = JdbcSinks.url(TestDatabase.migrated(), false);
    try (Connection c = DriverManager.getConnection(url, TestDatabase.USER, TestDatabase.PASSWORD);
        PreparedStatement ps = c.prepareStatement(JdbcSinks.UPSERT_METRICS)) {
      bindMetrics(ps, symbol, 40); // the complete bar
      ps.executeBatch();
      bindMetrics(ps, symbol, 3); // a job restored without state re-fires a partial one
      ps.executeBatch();
    }
    assertThat(
            TestDatabase.query(
                "SELECT trade_count, volume FROM aggregated_metrics WHERE symbol = ?", symbol))
        .containsExactly(Map.of("trade_count", 40L, "volume", 400L));
  }

  @Test
  void symbolsAreRegisteredOnlyWhileTheTableHoldsFewerThanTheLimit() throws Exception {
    TestDatabase.migrated();
    long known = (Long) TestDatabase.query("SELECT count(*) AS n FROM symbols").get(0).get("n");
    String over = TradeFixtures.uniqueSymbol("L");
    String under = TradeFixtures.uniqueSymbol("U");
    try (Connection c =
            DriverManager.getConnection(
                TestDatabase.migrated(), TestDatabase.USER, TestDatabase.PASSWORD);
        PreparedStatement ps = c.prepareStatement(JdbcSinks.REGISTER_SYMBOL)) {
      JdbcSinks.symbolRows((int) known).binder().bind(ps, over);
      assertThat(ps.executeUpdate()).isZero();
      JdbcSinks.symbolRows((int) known + 1000).binder().bind(ps, under);
      assertThat(ps.executeUpdate()).isOne();
    }
    assertThat(TestDatabase.query("SELECT symbol FROM symbols WHERE symbol IN (?, ?)", over, under))
        .containsExactly(Map.of("symbol", under));
  }

  private static final Instant START = Instant.parse("2026-01-05T14:30:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static void bindMetrics(PreparedStatement ps, String symbol, long count)
      throws Exception {
    ps.setString(1, symbol);
    ps.setString(2, "1m");
    ps.setTimestamp(3, Timestamp.from(START));
    ps.setTimestamp(4, Timestamp.from(START.plusSeconds(60)));
    for (int i = 5; i <= 8; i++) {
      ps.setBigDecimal(i, new BigDecimal("100"));
    }
    ps.setLong(9, count * 10);
    ps.setBigDecimal(10, new BigDecimal("100"));
    ps.setLong(11, count);
    ps.setBigDecimal(12, BigDecimal.ZERO);
    ps.addBatch();
  }

  @Test
  void aWindowReEmittedInTheSameBatchEndsAsItsLastVersion() throws Exception {
    String symbol = TradeFixtures.uniqueSymbol("J");
    String url = JdbcSinks.url(TestDatabase.migrated(), false);
    try (Connection c = DriverManager.getConnection(url, TestDatabase.USER, TestDatabase.PASSWORD);
        PreparedStatement ps = c.prepareStatement(JdbcSinks.UPSERT_METRICS)) {
      bindMetrics(ps, symbol, 3);
      bindMetrics(ps, symbol, 4);
      ps.executeBatch();
    }
    assertThat(
            TestDatabase.query(
                "SELECT trade_count, volume FROM aggregated_metrics WHERE symbol = ?", symbol))
        .containsExactly(Map.of("trade_count", 4L, "volume", 40L));
  }

  @Test
  void aTradeReplayedInTheSameRewrittenBatchIsStoredOnce() throws Exception {
    String symbol = TradeFixtures.uniqueSymbol("K");
    String url = JdbcSinks.url(TestDatabase.migrated(), true);
    assertThat(url).contains("reWriteBatchedInserts=true");
    try (Connection c = DriverManager.getConnection(url, TestDatabase.USER, TestDatabase.PASSWORD);
        PreparedStatement ps = c.prepareStatement(JdbcSinks.INSERT_TRADE)) {
      for (int i = 0; i < 2; i++) {
        ps.setTimestamp(1, Timestamp.from(START));
        ps.setString(2, symbol);
        ps.setString(3, "t-1");
        ps.setBigDecimal(4, new BigDecimal("100.5"));
        ps.setLong(5, 10);
        ps.setString(6, "test");
        ps.addBatch();
      }
      ps.executeBatch();
    }
    assertThat(TestDatabase.query("SELECT count(*) AS n FROM trades WHERE symbol = ?", symbol))
        .containsExactly(Map.of("n", 1L));
  }
}
