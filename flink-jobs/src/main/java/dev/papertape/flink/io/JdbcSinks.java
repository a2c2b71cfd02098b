package dev.papertape.flink.io;

import dev.papertape.model.Trade;
import dev.papertape.model.WindowMetrics;
import java.sql.Timestamp;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;

/**
 * TimescaleDB sinks. Both are idempotent upserts on natural keys that include the hypertable's time
 * column, so the at-least-once replay after a restore from a checkpoint never duplicates a row: a
 * replayed trade is ignored, a replayed (or late-updated) window overwrites itself.
 */
public final class JdbcSinks {
  static final String INSERT_TRADE =
      "INSERT INTO trades (ts, symbol, trade_id, price, size, source) VALUES (?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (symbol, ts, trade_id) DO NOTHING";

  static final String UPSERT_METRICS =
      "INSERT INTO aggregated_metrics (window_start, symbol, \"window\", window_end, open, high,"
          + " low, close, volume, vwap, trade_count, price_range)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (symbol, \"window\", window_start) DO UPDATE SET"
          + " window_end = EXCLUDED.window_end, open = EXCLUDED.open, high = EXCLUDED.high,"
          + " low = EXCLUDED.low, close = EXCLUDED.close, volume = EXCLUDED.volume,"
          + " vwap = EXCLUDED.vwap, trade_count = EXCLUDED.trade_count,"
          + " price_range = EXCLUDED.price_range, updated_at = now()";

  static final String REGISTER_SYMBOL =
      "INSERT INTO symbols (symbol, name, exchange) VALUES (?, ?, 'AUTO')"
          + " ON CONFLICT (symbol) DO NOTHING";

  private JdbcSinks() {}

  /** Connection to the database. */
  public record Connection(String url, String user, String password) {
    JdbcConnectionOptions options(boolean rewriteBatches) {
      return new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
          .withUrl(JdbcSinks.url(url, rewriteBatches))
          .withDriverName("org.postgresql.Driver")
          .withUsername(user)
          .withPassword(password)
          .withConnectionCheckTimeoutSeconds(10)
          .build();
    }
  }

  /**
   * The URL the sinks connect with. {@code rewriteBatches} adds {@code reWriteBatchedInserts=true}:
   * the driver sends a batch as multi-row INSERTs, several times faster than one statement per row.
   * Only for the trades sink: a multi-row {@code INSERT … ON CONFLICT DO UPDATE} fails when two
   * rows of one statement share a key ("cannot affect row a second time"), which is exactly what a
   * window re-emitted by a late trade within the same batch is; {@code DO NOTHING} has no such
   * limit.
   */
  static String url(String url, boolean rewriteBatches) {
    if (!rewriteBatches || url.contains("reWriteBatchedInserts")) {
      return url;
    }
    return url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
  }

  private static JdbcExecutionOptions batching() {
    return JdbcExecutionOptions.builder()
        .withBatchSize(1000)
        .withBatchIntervalMs(200)
        .withMaxRetries(5)
        .build();
  }

  public static JdbcSink<Trade> trades(Connection db) {
    return JdbcSink.<Trade>builder()
        .withQueryStatement(
            INSERT_TRADE,
            (ps, t) -> {
              ps.setTimestamp(1, Timestamp.from(t.ts()));
              ps.setString(2, t.symbol());
              ps.setString(3, t.tradeId());
              ps.setBigDecimal(4, t.price());
              ps.setLong(5, t.size());
              ps.setString(6, t.source());
            })
        .withExecutionOptions(batching())
        .buildAtLeastOnce(db.options(true));
  }

  public static JdbcSink<WindowMetrics> metrics(Connection db) {
    return JdbcSink.<WindowMetrics>builder()
        .withQueryStatement(
            UPSERT_METRICS,
            (ps, m) -> {
              ps.setTimestamp(1, Timestamp.from(m.windowStart()));
              ps.setString(2, m.symbol());
              ps.setString(3, m.window().label());
              ps.setTimestamp(4, Timestamp.from(m.windowEnd()));
              ps.setBigDecimal(5, m.open());
              ps.setBigDecimal(6, m.high());
              ps.setBigDecimal(7, m.low());
              ps.setBigDecimal(8, m.close());
              ps.setLong(9, m.volume());
              ps.setBigDecimal(10, m.vwap());
              ps.setLong(11, m.tradeCount());
              ps.setBigDecimal(12, m.priceRange());
            })
        .withExecutionOptions(batching())
        .buildAtLeastOnce(db.options(false));
  }

  /** Registers symbols first seen in the trades (known ones are left as they are). */
  public static JdbcSink<String> symbols(Connection db) {
    return JdbcSink.<String>builder()
        .withQueryStatement(
            REGISTER_SYMBOL,
            (ps, symbol) -> {
              ps.setString(1, symbol);
              ps.setString(2, symbol + " (first seen in trades)");
            })
        .withExecutionOptions(batching())
        .buildAtLeastOnce(db.options(false));
  }
}
