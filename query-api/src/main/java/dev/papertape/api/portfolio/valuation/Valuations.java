package dev.papertape.api.portfolio.valuation;

import dev.papertape.api.market.LatestPrices;
import dev.papertape.api.market.MarketRepository;
import dev.papertape.ledger.Money;
import dev.papertape.ledger.performance.Performance;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Valuations of portfolios over R2DBC: the snapshot writer's one statement for every portfolio, a
 * live valuation of one, and the reads of the equity curve and the performance inputs.
 *
 * <p>A position is valued at the latest price of its symbol, the newer of the API's stream view
 * ({@link LatestPrices}) and the newest stored trade no later than the clock's horizon (what {@code
 * GET /portfolio} and market orders use), at its average cost when neither is known. Its value is
 * quantity × price rounded half-up to the cent (ties away from zero, as both Java's {@code HALF_UP}
 * and PostgreSQL's {@code round(numeric, 2)} do), and the portfolio's positions value is the sum of
 * those, as {@code GET /portfolio} shows it. Cash and positions are read by one statement, so they
 * are of one moment (no fill half seen).
 */
@Repository
class Valuations {
  /** The user's portfolio as valuation needs it. */
  record Owned(long id, int epoch, BigDecimal startingCash, Instant resetAt) {}

  /** What one valuation found. */
  record Value(
      BigDecimal cash,
      BigDecimal positionsValue,
      BigDecimal totalValue,
      int openPositions,
      List<String> unpriced) {}

  /**
   * What one run of the writer did.
   *
   * @param written rows inserted (0 when another instance wrote this interval first)
   * @param portfolios portfolios valued
   * @param unpriced held symbols without any price, valued at average cost
   */
  record Written(Instant ts, long written, long portfolios, List<String> unpriced) {}

  /**
   * The latest price of every held symbol, and each portfolio's positions value. Parameters: $1
   * horizon, $2..$4 the stream's (symbol, price, ts) as text arrays, $5 one portfolio id or null
   * for all.
   */
  static final String VALUED =
      "WITH streamed AS (SELECT s.symbol, s.price::numeric AS price, s.ts::timestamptz AS ts"
          + " FROM unnest($2::text[], $3::text[], $4::text[]) AS s(symbol, price, ts)),"
          + " held AS (SELECT DISTINCT symbol FROM positions"
          + " WHERE ($5::bigint IS NULL OR portfolio_id = $5)),"
          + " stored AS (SELECT h.symbol, t.price, t.ts FROM held h LEFT JOIN LATERAL"
          + " (SELECT price, ts FROM trades WHERE symbol = h.symbol AND ts <= $1"
          + " ORDER BY ts DESC LIMIT 1) t ON true),"
          + " latest AS (SELECT d.symbol, CASE WHEN s.ts IS NOT NULL AND (d.ts IS NULL"
          + " OR s.ts > d.ts) THEN s.price ELSE d.price END AS price"
          + " FROM stored d LEFT JOIN streamed s ON s.symbol = d.symbol),"
          + " valued AS (SELECT p.portfolio_id,"
          + " sum(round(p.quantity * coalesce(l.price, p.avg_cost), 2)) AS positions_value,"
          + " count(*) AS open_positions"
          + " FROM positions p JOIN latest l ON l.symbol = p.symbol"
          + " WHERE ($5::bigint IS NULL OR p.portfolio_id = $5) GROUP BY p.portfolio_id),"
          + " unpriced AS (SELECT string_agg(symbol, ',' ORDER BY symbol) AS symbols"
          + " FROM latest WHERE price IS NULL),"
          + " snapshot AS (SELECT f.id AS portfolio_id, f.epoch, f.cash,"
          + " coalesce(v.positions_value, 0.00) AS positions_value,"
          + " f.cash + coalesce(v.positions_value, 0.00) AS total_value,"
          + " coalesce(v.open_positions, 0)::integer AS open_positions"
          + " FROM portfolios f LEFT JOIN valued v ON v.portfolio_id = f.id"
          + " WHERE ($5::bigint IS NULL OR f.id = $5))";

  /** Every portfolio's snapshot of the interval starting at $6, once however many run it. */
  static final String WRITE =
      VALUED
          + ", inserted AS (INSERT INTO portfolio_snapshots"
          + " (ts, portfolio_id, epoch, cash, positions_value, total_value, open_positions)"
          + " SELECT $6, portfolio_id, epoch, cash, positions_value, total_value, open_positions"
          + " FROM snapshot ON CONFLICT (portfolio_id, ts) DO NOTHING RETURNING portfolio_id)"
          + " SELECT (SELECT count(*) FROM inserted) AS written,"
          + " (SELECT count(*) FROM snapshot) AS portfolios,"
          + " (SELECT symbols FROM unpriced) AS unpriced";

  /** One portfolio's value now. */
  static final String LIVE =
      VALUED
          + " SELECT s.cash, s.positions_value, s.total_value, s.open_positions,"
          + " (SELECT symbols FROM unpriced) AS unpriced FROM snapshot s";

  private final DatabaseClient db;
  private final LatestPrices stream;

  Valuations(DatabaseClient db, LatestPrices stream) {
    this.db = db;
    this.stream = stream;
  }

  static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }

  static Instant instant(Readable r, String column) {
    OffsetDateTime t = r.get(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static List<String> symbols(String joined) {
    return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
  }

  /** The symbols any portfolio (or {@code portfolioId}'s) holds. */
  private Mono<List<String>> held(Long portfolioId) {
    DatabaseClient.GenericExecuteSpec s =
        db.sql(
            "SELECT DISTINCT symbol FROM positions WHERE ($1::bigint IS NULL OR portfolio_id = $1)");
    s = portfolioId == null ? s.bindNull(0, Long.class) : s.bind(0, portfolioId);
    return s.map(r -> r.get("symbol", String.class)).all().collectList();
  }

  /** Binds $1..$5 of {@link #VALUED}: the stream's prices of the held symbols. */
  private Mono<DatabaseClient.GenericExecuteSpec> valued(
      String sql, Instant horizon, Long portfolioId) {
    return held(portfolioId)
        .map(
            symbols -> {
              List<String> names = new ArrayList<>();
              List<String> prices = new ArrayList<>();
              List<String> times = new ArrayList<>();
              for (String symbol : symbols) {
                Optional<MarketRepository.PricePoint> p = stream.get(symbol);
                if (p.isPresent()) {
                  names.add(symbol);
                  prices.add(p.get().price().toPlainString());
                  times.add(p.get().ts().toString());
                }
              }
              DatabaseClient.GenericExecuteSpec s =
                  db.sql(sql)
                      .bind(0, utc(horizon))
                      .bind(1, names.toArray(String[]::new))
                      .bind(2, prices.toArray(String[]::new))
                      .bind(3, times.toArray(String[]::new));
              return portfolioId == null ? s.bindNull(4, Long.class) : s.bind(4, portfolioId);
            });
  }

  /** Writes the snapshot of interval {@code ts} of every portfolio that has none for it yet. */
  Mono<Written> write(Instant ts, Instant horizon) {
    return valued(WRITE, horizon, null)
        .flatMap(
            s ->
                s.bind(5, utc(ts))
                    .map(
                        r ->
                            new Written(
                                ts,
                                r.get("written", Long.class),
                                r.get("portfolios", Long.class),
                                symbols(r.get("unpriced", String.class))))
                    .one());
  }

  /** The portfolio's value now. */
  Mono<Value> live(long portfolioId, Instant horizon) {
    return valued(LIVE, horizon, portfolioId)
        .flatMap(
            s ->
                s.map(
                        r ->
                            new Value(
                                Money.cents(r.get("cash", BigDecimal.class)),
                                Money.cents(r.get("positions_value", BigDecimal.class)),
                                Money.cents(r.get("total_value", BigDecimal.class)),
                                r.get("open_positions", Integer.class),
                                symbols(r.get("unpriced", String.class))))
                    .one());
  }

  Mono<Owned> byUser(long userId) {
    return db.sql("SELECT id, epoch, starting_cash, reset_at FROM portfolios WHERE user_id = $1")
        .bind(0, userId)
        .map(
            r ->
                new Owned(
                    r.get("id", Long.class),
                    r.get("epoch", Integer.class),
                    r.get("starting_cash", BigDecimal.class),
                    instant(r, "reset_at")))
        .one();
  }

  /**
   * The snapshots of the epoch with {@code ts} in [from, to), oldest first, at most {@code limit};
   * with an interval, the last snapshot of each bucket, labelled with the bucket's start.
   */
  Flux<EquityPoint> equity(Owned p, Instant from, Instant to, EquityInterval interval, int limit) {
    String where =
        " FROM portfolio_snapshots WHERE portfolio_id = $1 AND epoch = $2"
            + " AND ($3::timestamptz IS NULL OR ts >= $3)"
            + " AND ($4::timestamptz IS NULL OR ts < $4)";
    String sql =
        interval == null
            ? "SELECT ts AS at, cash, positions_value, total_value"
                + where
                + " ORDER BY ts LIMIT $5"
            : "SELECT DISTINCT ON (at) time_bucket(INTERVAL '"
                + interval.sql()
                + "', ts) AS at, cash, positions_value, total_value"
                + where
                + " ORDER BY at, ts DESC LIMIT $5";
    DatabaseClient.GenericExecuteSpec s = db.sql(sql).bind(0, p.id()).bind(1, p.epoch());
    s = from == null ? s.bindNull(2, OffsetDateTime.class) : s.bind(2, utc(from));
    s = to == null ? s.bindNull(3, OffsetDateTime.class) : s.bind(3, utc(to));
    return s.bind(4, limit)
        .map(
            r ->
                new EquityPoint(
                    instant(r, "at"),
                    r.get("cash", BigDecimal.class),
                    r.get("positions_value", BigDecimal.class),
                    r.get("total_value", BigDecimal.class)))
        .all();
  }

  /** The snapshots of the epoch after {@code after} (the epoch's start), oldest first. */
  Flux<Performance.Valuation> snapshots(Owned p, Instant after) {
    return db.sql(
            "SELECT ts, total_value, open_positions FROM portfolio_snapshots"
                + " WHERE portfolio_id = $1 AND epoch = $2 AND ts > $3 ORDER BY ts")
        .bind(0, p.id())
        .bind(1, p.epoch())
        .bind(2, utc(after))
        .map(
            r ->
                new Performance.Valuation(
                    instant(r, "ts"),
                    r.get("total_value", BigDecimal.class),
                    r.get("open_positions", Integer.class) > 0))
        .all();
  }

  /** The fills of the epoch in the order they happened. */
  Flux<Performance.FillEvent> fills(Owned p) {
    return db.sql(
            "SELECT symbol, side, quantity, realized_pnl, commission, filled_at FROM paper_trades"
                + " WHERE portfolio_id = $1 AND epoch = $2 ORDER BY filled_at, id")
        .bind(0, p.id())
        .bind(1, p.epoch())
        .map(
            r -> {
              long q = r.get("quantity", Long.class);
              return new Performance.FillEvent(
                  r.get("symbol", String.class),
                  "SELL".equals(r.get("side", String.class)) ? -q : q,
                  r.get("realized_pnl", BigDecimal.class),
                  r.get("commission", BigDecimal.class),
                  instant(r, "filled_at"));
            })
        .all();
  }
}
