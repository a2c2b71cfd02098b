package dev.papertape.api.market;

import dev.papertape.model.MetricWindow;
import dev.papertape.model.MetricsTable;
import dev.papertape.model.WindowMetrics;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Market data reads from TimescaleDB over R2DBC (non-blocking end to end). */
@Repository
public class MarketRepository {
  /**
   * One page of tracked symbols (after $1, at most $2, in byte order) with each one's latest trade
   * up to $3 (now + the allowed clock skew: a trade from the future is never the price) and the
   * first trade of that trade's UTC day. One statement; each symbol is two index lookups.
   */
  static final String SYMBOLS =
      """
      SELECT s.symbol, s.name, s.exchange, s.currency, t.price AS last_price, t.ts AS last_ts,
             o.price AS day_open
      FROM (SELECT symbol, name, exchange, currency FROM symbols
            WHERE active AND symbol COLLATE "C" > $1
            ORDER BY symbol COLLATE "C" LIMIT $2) s
      LEFT JOIN LATERAL (SELECT price, ts FROM trades WHERE symbol = s.symbol AND ts <= $3
                         ORDER BY ts DESC LIMIT 1) t ON true
      LEFT JOIN LATERAL (SELECT price FROM trades
                         WHERE symbol = s.symbol AND ts >= date_trunc('day', t.ts, 'UTC')
                           AND ts <= t.ts
                         ORDER BY ts LIMIT 1) o ON true
      ORDER BY s.symbol COLLATE "C"
      """;

  static final String LATEST_TRADE =
      "SELECT price, ts FROM trades WHERE symbol = $1 AND ts <= $2 ORDER BY ts DESC LIMIT 1";

  static final String COLUMNS = MetricsTable.columnList();

  static final String HISTORY_DESC =
      "SELECT "
          + COLUMNS
          + " FROM aggregated_metrics WHERE symbol = $1 AND \"window\" = $2"
          + " AND window_start >= $3 AND window_start < $4 ORDER BY window_start DESC LIMIT $5";

  static final String HISTORY_ASC = HISTORY_DESC.replace(" DESC ", " ASC ");

  /**
   * The latest bar per window size ($4, in that order) of one page of symbols: the active ones
   * among $1 (all when empty) after $2, at most $3, in byte order. A symbol without bars still
   * counts in its page (one row with null bar columns), so pages are pages of symbols.
   */
  static final String LATEST_METRICS =
      """
      SELECT p.symbol AS page_symbol, m.*
      FROM (SELECT symbol FROM symbols
            WHERE active AND (cardinality($1::text[]) = 0 OR symbol = ANY($1::text[]))
              AND symbol COLLATE "C" > $2
            ORDER BY symbol COLLATE "C" LIMIT $3) p
      CROSS JOIN unnest($4::text[]) WITH ORDINALITY AS w(win, ord)
      LEFT JOIN LATERAL (SELECT %s FROM aggregated_metrics a
                         WHERE a.symbol = p.symbol AND a."window" = w.win
                         ORDER BY window_start DESC LIMIT 1) m ON true
      ORDER BY p.symbol COLLATE "C", w.ord
      """
          .formatted(COLUMNS);

  /** The earliest and latest instants PostgreSQL's timestamptz holds, as open bounds. */
  static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");

  static final Instant MAX = Instant.parse("9999-12-31T00:00:00Z");

  private final DatabaseClient db;

  public MarketRepository(DatabaseClient db) {
    this.db = db;
  }

  /**
   * A page of tracked symbols after {@code after} ({@code ""}: from the first), with prices from
   * trades no later than {@code horizon}.
   */
  public Mono<Page<SymbolSummary>> symbols(String after, int limit, Instant horizon) {
    return db.sql(SYMBOLS)
        .bind(0, after)
        .bind(1, limit + 1)
        .bind(2, horizon.atOffset(ZoneOffset.UTC))
        .map(MarketRepository::summary)
        .all()
        .collectList()
        .map(rows -> Page.of(rows, limit, SymbolSummary::symbol));
  }

  /** The newest trade's price and time no later than {@code horizon}, if the symbol has any. */
  public Mono<PricePoint> latestTrade(String symbol, Instant horizon) {
    return db.sql(LATEST_TRADE)
        .bind(0, symbol)
        .bind(1, horizon.atOffset(ZoneOffset.UTC))
        .map(r -> new PricePoint(r.get("price", BigDecimal.class), instant(r, "ts")))
        .one();
  }

  public Flux<WindowMetrics> history(
      String symbol, MetricWindow w, Instant from, Instant to, int limit, boolean ascending) {
    return db.sql(ascending ? HISTORY_ASC : HISTORY_DESC)
        .bind(0, symbol)
        .bind(1, w.label())
        .bind(2, (from == null ? MIN : from).atOffset(ZoneOffset.UTC))
        .bind(3, (to == null ? MAX : to).atOffset(ZoneOffset.UTC))
        .bind(4, limit)
        .map(MarketRepository::metrics)
        .all();
  }

  /**
   * The latest bar per window size of a page of symbols: of {@code symbols} (all tracked when
   * empty) after {@code after}, at most {@code limit} symbols; bars by symbol, then window size.
   */
  public Mono<Page<WindowMetrics>> latestMetrics(
      List<String> symbols, List<MetricWindow> windows, String after, int limit) {
    record Row(String pageSymbol, WindowMetrics bar) {}
    return db.sql(LATEST_METRICS)
        .bind(0, symbols.toArray(new String[0]))
        .bind(1, after)
        .bind(2, limit + 1)
        .bind(3, windows.stream().map(MetricWindow::label).toArray(String[]::new))
        .map(
            r ->
                new Row(
                    r.get("page_symbol", String.class),
                    r.get("symbol", String.class) == null ? null : metrics(r)))
        .all()
        .collectList()
        .map(
            rows -> {
              List<String> pageSymbols = rows.stream().map(Row::pageSymbol).distinct().toList();
              boolean more = pageSymbols.size() > limit;
              List<String> page = more ? pageSymbols.subList(0, limit) : pageSymbols;
              String last = page.isEmpty() ? null : page.get(page.size() - 1);
              java.util.Set<String> inPage = java.util.Set.copyOf(page);
              List<WindowMetrics> bars =
                  rows.stream()
                      .filter(x -> x.bar() != null && inPage.contains(x.pageSymbol()))
                      .map(Row::bar)
                      .toList();
              return new Page<>(bars, more ? last : null);
            });
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

  /**
   * One page of a listing in symbol order.
   *
   * @param next the symbol the next page starts after, or {@code null} when this page is the last
   */
  public record Page<T>(List<T> items, String next) {
    /**
     * The first {@code limit} of {@code rows} (read with {@code limit + 1}, to know if more
     * follow).
     */
    static <T> Page<T> of(List<T> rows, int limit, java.util.function.Function<T, String> key) {
      if (rows.size() <= limit) {
        return new Page<>(rows, null);
      }
      List<T> page = rows.subList(0, limit);
      return new Page<>(page, key.apply(page.get(limit - 1)));
    }
  }
}
