package dev.papertape.flink.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.testing.TestDatabase;
import dev.papertape.testing.TradeFixtures;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The sinks' SQL on the real TimescaleDB, batched exactly as the sinks batch it: a window emitted
 * and then re-emitted (a late trade within the allowed lateness) in the same batch must end as the
 * second version, and a trade replayed in the same batch must be stored once.
 */
class JdbcSinksIT {
  private static final Instant START = Instant.parse("2026-01-05T14:30:00Z");

  private static void bindMetrics(PreparedStatement ps, String symbol, long count)
      throws Exception {
    ps.setTimestamp(1, Timestamp.from(START));
    ps.setString(2, symbol);
    ps.setString(3, "1m");
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
