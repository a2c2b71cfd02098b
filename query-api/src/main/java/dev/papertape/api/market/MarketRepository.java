package dev.papertape.api.market;

import dev.papertape.model.MetricWindow;
import dev.papertape.model.WindowMetrics;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Market data reads from TimescaleDB over R2DBC (non-blocking end to end). */
@Repository
public class MarketRepository {
  static final String SYMBOLS =
      """
      SELECT s.symbol, s.name, s.exchange, s.currency, t.price AS last_price, t.ts AS last_ts,
             o.price AS day_open
      FROM symbols s
      LEFT JOIN LATERAL (SELECT price, ts FROM trades WHERE symbol = s.symbol
                         ORDER BY ts DESC LIMIT 1) t ON true
      LEFT JOIN LATERAL (SELECT price FROM trades
                         WHERE symbol = s.symbol AND ts >= date_trunc('day', t.ts, 'UTC')
                         ORDER BY ts LIMIT 1) o ON true
      WHERE s.active
      ORDER BY s.symbol
      """;

  static final String LATEST_TRADE =
      "SELECT price, ts FROM trades WHERE symbol = $1 ORDER BY ts DESC LIMIT 1";

  static final String COLUMNS =
      "symbol, \"window\", window_start, window_end, open, high, low, close, volume, vwap,"
          + " trade_count, price_range";

  static final String HISTORY_DESC =
      "SELECT "
          + COLUMNS
          + " FROM aggregated_metrics WHERE symbol = $1 AND \"window\" = $2"
          + " AND window_start >= $3 AND window_start < $4 ORDER BY window_start DESC LIMIT $5";

  static final String HISTORY_ASC = HISTORY_DESC.replace(" DESC ", " ASC ");

  static final String LATEST_METRICS =
      """
      SELECT m.* FROM unnest($1::text[]) AS s(symbol)
      CROSS JOIN unnest($2::text[]) AS w(win)
      JOIN LATERAL (SELECT %s FROM aggregated_metrics a
                    WHERE a.symbol = s.symbol AND a."window" = w.win
                    ORDER BY window_start DESC LIMIT 1) m ON true
      ORDER BY m.symbol, m.window_end - m.window_start
      """
          .formatted(COLUMNS);

  /** The earliest and latest instants PostgreSQL's timestamptz holds, as open bounds. */
  static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");

  static final Instant MAX = Instant.parse("9999-12-31T00:00:00Z");

  private final DatabaseClient db;

  public MarketRepository(DatabaseClient db) {
    this.db = db;
  }

  public Flux<SymbolSummary> symbols() {
    return db.sql(SYMBOLS).map(MarketRepository::summary).all();
  }

  /** The newest trade's price and time, if the symbol has any. */
  public Mono<PricePoint> latestTrade(String symbol) {
    return db.sql(LATEST_TRADE)
        .bind(0, symbol)
        .map(r -> new PricePoint(r.get("price", BigDecimal.class), instant(r, "ts")))
        .one();
  }

  public Flux<WindowMetrics> history(
      String symbol, MetricWindow w, Instant from, Instant to, int limit, boolean ascending) {
    return db.sql(ascending ? HISTORY_ASC : HISTORY_DESC)
        .bind(0, symbol)
        .bind(1, w.label())
        .bind(2, (from == null ? MIN : from).atOffset(java.time.ZoneOffset.UTC))
        .bind(3, (to == null ? MAX : to).atOffset(java.time.ZoneOffset.UTC))
        .bind(4, limit)
        .map(MarketRepository::metrics)
        .all();
  }

  public Flux<WindowMetrics> latestMetrics(List<String> symbols, List<MetricWindow> windows) {
    return db.sql(LATEST_METRICS)
        .bind(0, symbols.toArray(new String[0]))
        .bind(1, windows.stream().map(MetricWindow::label).toArray(String[]::new))
        .map(MarketRepository::metrics)
        .all();
  }

  private static SymbolSummary summary(Readable r) {
    BigDecimal last = strip(r.get("last_price", BigDecimal.class));
    BigDecimal open = strip(r.get("day_open", BigDecimal.class));
    BigDecimal change = last == null || open == null ? null : strip(last.subtract(open));
    BigDecimal pct =
        change == null
            ? null
            : strip(change.multiply(BigDecimal.valueOf(100)).divide(open, 4, RoundingMode.HALF_UP));
    return new SymbolSummary(
        r.get("symbol", String.class),
        r.get("name", String.class),
        r.get("exchange", String.class),
        r.get("currency", String.class),
        last,
        instant(r, "last_ts"),
        open,
        change,
        pct);
  }

  static WindowMetrics metrics(Readable r) {
    return new WindowMetrics(
        r.get("symbol", String.class),
        MetricWindow.parse(r.get("window", String.class)),
        instant(r, "window_start"),
        instant(r, "window_end"),
        strip(r.get("open", BigDecimal.class)),
        strip(r.get("high", BigDecimal.class)),
        strip(r.get("low", BigDecimal.class)),
        strip(r.get("close", BigDecimal.class)),
        r.get("volume", Long.class),
        strip(r.get("vwap", BigDecimal.class)),
        r.get("trade_count", Long.class),
        strip(r.get("price_range", BigDecimal.class)));
  }

  private static Instant instant(Readable r, String column) {
    OffsetDateTime t = r.get(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  /** numeric(18,8) comes back with 8 decimals: return the canonical form the contracts use. */
  static BigDecimal strip(BigDecimal d) {
    if (d == null) {
      return null;
    }
    BigDecimal s = d.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }

  /** A price at an event time. */
  public record PricePoint(BigDecimal price, Instant ts) {}
}
