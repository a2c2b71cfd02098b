package dev.papertape.flink.io;

import dev.papertape.model.MetricsTable;
import dev.papertape.model.Signal;
import dev.papertape.model.SignalCodec;
import dev.papertape.model.Trade;
import dev.papertape.model.TradeCodec;
import dev.papertape.model.WindowMetrics;
import dev.papertape.model.WindowMetricsCodec;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;

/**
 * TimescaleDB sinks ({@link JdbcUpsertSink}). Each is an idempotent upsert on a natural key that
 * includes the hypertable's time column, so the at-least-once replay after a restore from a
 * checkpoint never duplicates a row: a replayed trade is ignored, a replayed (or late-updated)
 * window overwrites itself, and a stored window is never replaced by one covering fewer trades (a
 * job restored without its window state cannot shrink a complete bar). A row the database refuses
 * goes to the dead-letter topic.
 */
public final class JdbcSinks {
  static final String INSERT_TRADE =
      "INSERT INTO trades (ts, symbol, trade_id, price, size, source) VALUES (?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (symbol, ts, trade_id) DO NOTHING";

  static final String UPSERT_METRICS =
      "INSERT INTO "
          + MetricsTable.NAME
          + " ("
          + MetricsTable.columnList()
          + ") VALUES ("
          + MetricsTable.placeholders()
          + ") ON CONFLICT ("
          + String.join(", ", MetricsTable.KEY)
          + ") DO UPDATE SET "
          + MetricsTable.updateFromExcluded()
          + ", updated_at = now() WHERE "
          + MetricsTable.NAME
          + ".trade_count <= EXCLUDED.trade_count";

  /**
   * A signal is stored once: its id is deterministic (a name-based UUID of instance, symbol, window
   * and side), so a replay carries the same id and the same values and is ignored.
   */
  static final String INSERT_SIGNAL =
      "INSERT INTO signals (ts, id, kind, symbol, source, side, price, reason)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id, ts) DO NOTHING";

  /** Registers a symbol unless it is known or the table already holds the maximum. */
  static final String REGISTER_SYMBOL =
      "INSERT INTO symbols (symbol, name, exchange) SELECT ?, ?, 'AUTO'"
          + " WHERE (SELECT count(*) FROM symbols) < ?"
          + " ON CONFLICT (symbol) DO NOTHING";

  private JdbcSinks() {}

  /** Connection to the database. */
  public record Connection(String url, String user, String password) implements Serializable {}

  /** What every sink shares: the database, the dead-letter topic, batching and retry. */
  public record Target(
      Connection db, DeadLetterChannel.Factory deadLetters, JdbcUpsertSink.Options options)
      implements Serializable {}

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

  private static <T> JdbcUpsertSink<T> sink(Target t, RowStatement<T> statement) {
    return new JdbcUpsertSink<>(t.db(), statement, t.deadLetters(), t.options());
  }

  static RowStatement<Trade> tradeRows() {
    TradeCodec codec = new TradeCodec();
    return new RowStatement<>(
        "trades",
        INSERT_TRADE,
        (ps, t) -> {
          ps.setTimestamp(1, Timestamp.from(t.ts()));
          ps.setString(2, t.symbol());
          ps.setString(3, t.tradeId());
          ps.setBigDecimal(4, t.price());
          ps.setLong(5, t.size());
          ps.setString(6, t.source());
        },
        codec::encode,
        Trade::symbol,
        true);
  }

  static RowStatement<WindowMetrics> metricsRows() {
    WindowMetricsCodec codec = new WindowMetricsCodec();
    return new RowStatement<>(
        "aggregated_metrics",
        UPSERT_METRICS,
        (ps, m) -> {
          ps.setString(1, m.symbol());
          ps.setString(2, m.window().label());
          ps.setTimestamp(3, Timestamp.from(m.windowStart()));
          ps.setTimestamp(4, Timestamp.from(m.windowEnd()));
          ps.setBigDecimal(5, m.open());
          ps.setBigDecimal(6, m.high());
          ps.setBigDecimal(7, m.low());
          ps.setBigDecimal(8, m.close());
          ps.setLong(9, m.volume());
          ps.setBigDecimal(10, m.vwap());
          ps.setLong(11, m.tradeCount());
          ps.setBigDecimal(12, m.priceRange());
        },
        codec::encode,
        WindowMetrics::symbol,
        false);
  }

  static RowStatement<Signal> signalRows() {
    SignalCodec codec = new SignalCodec();
    return new RowStatement<>(
        "signals",
        INSERT_SIGNAL,
        (ps, sig) -> {
          ps.setTimestamp(1, Timestamp.from(sig.ts()));
          ps.setString(2, sig.id());
          ps.setString(3, sig.kind().name());
          ps.setString(4, sig.symbol());
          ps.setString(5, sig.source());
          ps.setString(6, sig.side() == null ? null : sig.side().name());
          ps.setBigDecimal(7, sig.price());
          ps.setString(8, sig.reason());
        },
        codec::encode,
        Signal::symbol,
        true);
  }

  static RowStatement<String> symbolRows(int maxSymbols) {
    return new RowStatement<>(
        "symbols",
        REGISTER_SYMBOL,
        (ps, symbol) -> {
          ps.setString(1, symbol);
          ps.setString(2, symbol + " (first seen in trades)");
          ps.setInt(3, maxSymbols);
        },
        symbol -> symbol.getBytes(StandardCharsets.UTF_8),
        symbol -> symbol,
        false);
  }

  public static JdbcUpsertSink<Trade> trades(Target t) {
    return sink(t, tradeRows());
  }

  public static JdbcUpsertSink<WindowMetrics> metrics(Target t) {
    return sink(t, metricsRows());
  }

  /** Strategy signals and alerts into the {@code signals} hypertable, each once. */
  public static JdbcUpsertSink<Signal> signals(Target t) {
    return sink(t, signalRows());
  }

  /**
   * Registers symbols first seen in the trades (known ones are left as they are), while the {@code
   * symbols} table holds fewer than {@code maxSymbols} ({@code PAPERTAPE_MAX_SYMBOLS}).
   */
  public static JdbcUpsertSink<String> symbols(Target t, int maxSymbols) {
    return sink(t, symbolRows(maxSymbols));
  }
}
