package dev.papertape.api.portfolio;

import dev.papertape.api.portfolio.matching.RestingOrder;
import dev.papertape.ledger.Fill;
import dev.papertape.ledger.Position;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.function.Tuple2;
import reactor.util.function.Tuples;

/**
 * The ledger tables over R2DBC. Every method runs in the caller's transaction when there is one
 * ({@code TransactionalOperator}); the writes of a fill are only ever called inside one, after
 * {@link #lockByUser} locked the portfolio row.
 */
@Repository
class PortfolioRepository {
  /** A row of {@code portfolios}. */
  record PortfolioRow(
      long id,
      long userId,
      int epoch,
      BigDecimal startingCash,
      BigDecimal cash,
      BigDecimal realizedPnl,
      BigDecimal commissions,
      boolean allowShort,
      Instant createdAt,
      Instant resetAt) {}

  /** A row of {@code orders}, with the hash of the request that made it. */
  record OrderRow(Views.Order view, long portfolioId, String requestHash) {}

  private static final String PORTFOLIO_COLUMNS =
      "id, user_id, epoch, starting_cash, cash, realized_pnl, commissions, allow_short,"
          + " created_at, reset_at";

  private final DatabaseClient db;

  PortfolioRepository(DatabaseClient db) {
    this.db = db;
  }

  static Instant instant(Readable r, String column) {
    OffsetDateTime t = r.get(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }

  private static PortfolioRow portfolio(Readable r) {
    return new PortfolioRow(
        r.get("id", Long.class),
        r.get("user_id", Long.class),
        r.get("epoch", Integer.class),
        r.get("starting_cash", BigDecimal.class),
        r.get("cash", BigDecimal.class),
        r.get("realized_pnl", BigDecimal.class),
        r.get("commissions", BigDecimal.class),
        Boolean.TRUE.equals(r.get("allow_short", Boolean.class)),
        instant(r, "created_at"),
        instant(r, "reset_at"));
  }

  /** Creates the user's portfolio unless it exists; empty when it did. */
  Mono<PortfolioRow> create(long userId, BigDecimal startingCash, boolean allowShort) {
    return db.sql(
            "INSERT INTO portfolios (user_id, starting_cash, cash, allow_short)"
                + " VALUES ($1, $2, $2, $3) ON CONFLICT (user_id) DO NOTHING RETURNING "
                + PORTFOLIO_COLUMNS)
        .bind(0, userId)
        .bind(1, startingCash)
        .bind(2, allowShort)
        .map(PortfolioRepository::portfolio)
        .one();
  }

  Mono<PortfolioRow> byUser(long userId) {
    return db.sql("SELECT " + PORTFOLIO_COLUMNS + " FROM portfolios WHERE user_id = $1")
        .bind(0, userId)
        .map(PortfolioRepository::portfolio)
        .one();
  }

  /** The user's portfolio row, locked until the transaction ends (every ledger write takes it). */
  Mono<PortfolioRow> lockByUser(long userId) {
    return db.sql("SELECT " + PORTFOLIO_COLUMNS + " FROM portfolios WHERE user_id = $1 FOR UPDATE")
        .bind(0, userId)
        .map(PortfolioRepository::portfolio)
        .one();
  }

  /** A locked portfolio row and its positions, read after the lock was granted. */
  record Locked(PortfolioRow portfolio, List<Position> positions) {}

  /**
   * The user's portfolio row, locked until the transaction ends, with its positions as committed
   * when the lock was granted: one call of {@code lock_portfolio} (V5), one round trip.
   */
  Mono<Locked> lockWithPositions(long userId) {
    return db.sql("SELECT * FROM lock_portfolio($1)")
        .bind(0, userId)
        .map(
            r ->
                Tuples.of(
                    portfolio(r),
                    Optional.ofNullable(r.get("pos_symbol", String.class))
                        .map(
                            symbol ->
                                new Position(
                                    symbol,
                                    r.get("pos_quantity", Long.class),
                                    r.get("pos_avg_cost", BigDecimal.class)))))
        .all()
        .collectList()
        .flatMap(
            rows ->
                rows.isEmpty()
                    ? Mono.empty()
                    : Mono.just(
                        new Locked(
                            rows.get(0).getT1(),
                            rows.stream().flatMap(t -> t.getT2().stream()).toList())));
  }

  /** The portfolio row, locked until the transaction ends (a resting fill takes it by id). */
  Mono<PortfolioRow> lockById(long portfolioId) {
    return db.sql("SELECT " + PORTFOLIO_COLUMNS + " FROM portfolios WHERE id = $1 FOR UPDATE")
        .bind(0, portfolioId)
        .map(PortfolioRepository::portfolio)
        .one();
  }

  Mono<Void> deposit(long portfolioId, int epoch, BigDecimal amount) {
    return db.sql(
            "INSERT INTO cash_movements (portfolio_id, epoch, kind, amount)"
                + " VALUES ($1, $2, 'DEPOSIT', $3)")
        .bind(0, portfolioId)
        .bind(1, epoch)
        .bind(2, amount)
        .then();
  }

  /** What a reset did: the portfolio's new epoch, and the open orders it canceled. */
  record Reset(PortfolioRow portfolio, java.util.List<Views.Order> canceled) {}

  /** Starts a new epoch: fresh cash, no positions, resting orders canceled. */
  Mono<Reset> reset(long portfolioId, BigDecimal startingCash, boolean allowShort) {
    return db.sql(
            "UPDATE orders SET status = 'CANCELED', reason = 'portfolio reset', updated_at = now()"
                + " WHERE portfolio_id = $1 AND status IN ('ACCEPTED', 'PARTIALLY_FILLED')"
                + " RETURNING "
                + ORDER_COLUMNS)
        .bind(0, portfolioId)
        .map(r -> order(r).view())
        .all()
        .collectList()
        .flatMap(
            canceled ->
                db.sql("DELETE FROM positions WHERE portfolio_id = $1")
                    .bind(0, portfolioId)
                    .then()
                    .then(
                        db.sql(
                                "UPDATE portfolios SET epoch = epoch + 1, starting_cash = $2,"
                                    + " cash = $2, realized_pnl = 0, commissions = 0,"
                                    + " allow_short = $3, reset_at = now() WHERE id = $1"
                                    + " RETURNING "
                                    + PORTFOLIO_COLUMNS)
                            .bind(0, portfolioId)
                            .bind(1, startingCash)
                            .bind(2, allowShort)
                            .map(PortfolioRepository::portfolio)
                            .one())
                    .flatMap(
                        p ->
                            deposit(p.id(), p.epoch(), startingCash)
                                .thenReturn(new Reset(p, canceled))));
  }

  Flux<Position> positions(long portfolioId) {
    return db.sql(
            "SELECT symbol, quantity, avg_cost FROM positions WHERE portfolio_id = $1"
                + " ORDER BY symbol")
        .bind(0, portfolioId)
        .map(
            r ->
                new Position(
                    r.get("symbol", String.class),
                    r.get("quantity", Long.class),
                    r.get("avg_cost", BigDecimal.class)))
        .all();
  }

  // ---- orders

  private static final String ORDER_COLUMNS =
      "id, portfolio_id, epoch, idempotency_key, request_hash, symbol, side, type, time_in_force,"
          + " quantity, limit_price, stop_price, status, filled_quantity, reason, created_at,"
          + " updated_at, expires_at, triggered_at";

  private static OrderRow order(Readable r) {
    return new OrderRow(
        new Views.Order(
            r.get("id", UUID.class),
            r.get("epoch", Integer.class),
            r.get("symbol", String.class),
            r.get("side", String.class),
            r.get("type", String.class),
            r.get("time_in_force", String.class),
            r.get("quantity", Long.class),
            r.get("filled_quantity", Long.class),
            strip(r.get("limit_price", BigDecimal.class)),
            strip(r.get("stop_price", BigDecimal.class)),
            r.get("status", String.class),
            r.get("reason", String.class),
            r.get("idempotency_key", String.class),
            instant(r, "created_at"),
            instant(r, "updated_at"),
            instant(r, "expires_at"),
            instant(r, "triggered_at"),
            null),
        r.get("portfolio_id", Long.class),
        r.get("request_hash", String.class));
  }

  private static BigDecimal strip(BigDecimal price) {
    if (price == null) {
      return null;
    }
    BigDecimal p = price.stripTrailingZeros();
    return p.scale() < 0 ? p.setScale(0) : p;
  }

  Mono<OrderRow> orderByKey(long portfolioId, String key) {
    return db.sql(
            "SELECT "
                + ORDER_COLUMNS
                + " FROM orders WHERE portfolio_id = $1 AND idempotency_key = $2")
        .bind(0, portfolioId)
        .bind(1, key)
        .map(PortfolioRepository::order)
        .one();
  }

  Mono<OrderRow> order(long portfolioId, UUID id, boolean lock) {
    return db.sql(
            "SELECT "
                + ORDER_COLUMNS
                + " FROM orders WHERE id = $1 AND portfolio_id = $2"
                + (lock ? " FOR UPDATE" : ""))
        .bind(0, id)
        .bind(1, portfolioId)
        .map(PortfolioRepository::order)
        .one();
  }

  /**
   * Orders of the portfolio, newest first, optionally of one status, after the order {@code after}
   * (the last of the previous page).
   */
  Flux<Views.Order> orders(long portfolioId, OrderStatus status, UUID after, int limit) {
    DatabaseClient.GenericExecuteSpec s =
        db.sql(
                "SELECT "
                    + ORDER_COLUMNS
                    + " FROM orders o WHERE portfolio_id = $1"
                    + " AND ($2::text IS NULL OR status = $2)"
                    + " AND ($3::uuid IS NULL OR (created_at, id) < (SELECT created_at, id FROM"
                    + " orders WHERE id = $3 AND portfolio_id = $1))"
                    + " ORDER BY created_at DESC, id DESC LIMIT $4")
            .bind(0, portfolioId);
    s = status == null ? s.bindNull(1, String.class) : s.bind(1, status.name());
    s = after == null ? s.bindNull(2, UUID.class) : s.bind(2, after);
    return s.bind(3, limit).map(r -> order(r).view()).all();
  }

  Mono<Views.Order> insertOrder(
      UUID id,
      PortfolioRow p,
      String key,
      String hash,
      OrderRequest req,
      OrderStatus status,
      long filled,
      Instant expiresAt) {
    DatabaseClient.GenericExecuteSpec s =
        db.sql(
                "INSERT INTO orders (id, portfolio_id, epoch, idempotency_key, request_hash,"
                    + " symbol, side, type, time_in_force, quantity, limit_price, stop_price,"
                    + " status, filled_quantity, expires_at)"
                    + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
                    + " RETURNING "
                    + ORDER_COLUMNS)
            .bind(0, id)
            .bind(1, p.id())
            .bind(2, p.epoch());
    s = key == null ? s.bindNull(3, String.class) : s.bind(3, key);
    s =
        s.bind(4, hash)
            .bind(5, req.symbol())
            .bind(6, req.side().name())
            .bind(7, req.type().name())
            .bind(8, req.timeInForce().name())
            .bind(9, req.quantity());
    s = req.limitPrice() == null ? s.bindNull(10, BigDecimal.class) : s.bind(10, req.limitPrice());
    s = req.stopPrice() == null ? s.bindNull(11, BigDecimal.class) : s.bind(11, req.stopPrice());
    s = s.bind(12, status.name()).bind(13, filled);
    s = expiresAt == null ? s.bindNull(14, OffsetDateTime.class) : s.bind(14, utc(expiresAt));
    return s.map(r -> order(r).view()).one();
  }

  /**
   * A resting order, locked until the transaction ends; taken after its portfolio's row (the same
   * order as a cancel), so a fill and a cancel of one order never interleave.
   */
  Mono<RestingOrder> lockResting(UUID id) {
    return db.sql("SELECT " + RestingOrder.COLUMNS + " FROM orders WHERE id = $1 FOR UPDATE")
        .bind(0, id)
        .map(RestingOrder::read)
        .one();
  }

  /** Whether the order already has a fill from this market trade. */
  Mono<Boolean> filledBy(UUID orderId, Instant tradeTs, String tradeId) {
    return db.sql(
            "SELECT EXISTS (SELECT 1 FROM paper_trades WHERE order_id = $1"
                + " AND market_trade_ts = $2 AND market_trade_id = $3) AS done")
        .bind(0, orderId)
        .bind(1, utc(tradeTs))
        .bind(2, tradeId)
        .map(r -> Boolean.TRUE.equals(r.get("done", Boolean.class)))
        .one();
  }

  /** The commission the order's fills have paid so far. */
  Mono<BigDecimal> commissionOf(UUID orderId) {
    return db.sql(
            "SELECT coalesce(sum(commission), 0) AS paid FROM paper_trades WHERE order_id = $1")
        .bind(0, orderId)
        .map(r -> r.get("paid", BigDecimal.class))
        .one();
  }

  /**
   * The new state of a resting order after a trade: filled quantity, status, the trigger time (kept
   * once set), and a reason (kept unless given).
   */
  Mono<Views.Order> updateResting(
      UUID id, long filled, OrderStatus status, Instant triggeredAt, String reason) {
    DatabaseClient.GenericExecuteSpec s =
        db.sql(
                "UPDATE orders SET filled_quantity = $2, status = $3,"
                    + " triggered_at = coalesce(triggered_at, $4), reason = coalesce($5, reason),"
                    + " updated_at = now() WHERE id = $1 RETURNING "
                    + ORDER_COLUMNS)
            .bind(0, id)
            .bind(1, filled)
            .bind(2, status.name());
    s = triggeredAt == null ? s.bindNull(3, OffsetDateTime.class) : s.bind(3, utc(triggeredAt));
    s = reason == null ? s.bindNull(4, String.class) : s.bind(4, reason);
    return s.map(r -> order(r).view()).one();
  }

  /** Expires the open orders whose {@code expires_at} is at or before {@code now}. */
  Flux<OrderRow> expire(Instant now) {
    return db.sql(
            "UPDATE orders SET status = 'EXPIRED', reason = 'expired at the end of its day',"
                + " updated_at = now() WHERE status IN ('ACCEPTED', 'PARTIALLY_FILLED')"
                + " AND expires_at <= $1 RETURNING "
                + ORDER_COLUMNS)
        .bind(0, utc(now))
        .map(PortfolioRepository::order)
        .all();
  }

  Mono<Views.Order> cancel(UUID id) {
    return db.sql(
            "UPDATE orders SET status = 'CANCELED', reason = 'canceled by the user',"
                + " updated_at = now() WHERE id = $1 RETURNING "
                + ORDER_COLUMNS)
        .bind(0, id)
        .map(r -> order(r).view())
        .one();
  }

  // ---- fills

  private static final String FILL_COLUMNS =
      "id, order_id, epoch, symbol, side, quantity, market_price, slippage, price, gross,"
          + " commission, cash_delta, realized_pnl, position_after, cash_after, market_trade_ts,"
          + " market_trade_id, filled_at";

  static Views.Fill fill(Readable r) {
    return fillWith(r, "");
  }

  /** A fill from columns named {@code prefix + column}. */
  private static Views.Fill fillWith(Readable r, String prefix) {
    return new Views.Fill(
        r.get(prefix + "id", Long.class),
        r.get(prefix + "order_id", UUID.class),
        r.get(prefix + "epoch", Integer.class),
        r.get(prefix + "symbol", String.class),
        r.get(prefix + "side", String.class),
        r.get(prefix + "quantity", Long.class),
        r.get(prefix + "market_price", BigDecimal.class),
        r.get(prefix + "slippage", BigDecimal.class),
        r.get(prefix + "price", BigDecimal.class),
        r.get(prefix + "gross", BigDecimal.class),
        r.get(prefix + "commission", BigDecimal.class),
        r.get(prefix + "cash_delta", BigDecimal.class),
        r.get(prefix + "realized_pnl", BigDecimal.class),
        r.get(prefix + "position_after", Long.class),
        r.get(prefix + "cash_after", BigDecimal.class),
        instant(r, prefix + "market_trade_ts"),
        r.get(prefix + "market_trade_id", String.class),
        instant(r, prefix + "filled_at"));
  }

  /**
   * The writes of one fill as data-modifying CTEs of one statement: the fill row ({@code f}), its
   * cash movement, the position (deleted when {@code $18} is null, else upserted) and the
   * portfolio's totals. One round trip instead of four; the statement is atomic on its own, and the
   * caller's transaction (which locked the portfolio row) makes it atomic with the order's write.
   * Parameters $1–$21; see {@link #bindFill}.
   */
  private static final String FILL_WRITES =
      "f AS (INSERT INTO paper_trades (order_id, portfolio_id, epoch, symbol, side, quantity,"
          + " market_trade_ts, market_trade_id, market_price, slippage, price, gross, commission,"
          + " cash_delta, realized_pnl, position_after, cash_after) VALUES ($1, $2, $3, $4, $5,"
          + " $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING "
          + FILL_COLUMNS
          + "), m AS (INSERT INTO cash_movements (portfolio_id, epoch, kind, amount, fill_id)"
          + " SELECT $2, $3, 'FILL', $14, f.id FROM f),"
          + " d AS (DELETE FROM positions WHERE portfolio_id = $2 AND symbol = $4"
          + " AND $18::bigint IS NULL),"
          + " u AS (INSERT INTO positions AS pos (portfolio_id, symbol, quantity, avg_cost)"
          + " SELECT $2::bigint, $4::text, $18::bigint, $19::numeric WHERE $18::bigint IS NOT NULL"
          + " ON CONFLICT (portfolio_id, symbol) DO UPDATE SET quantity = EXCLUDED.quantity,"
          + " avg_cost = EXCLUDED.avg_cost, updated_at = now(), opened_at = CASE WHEN"
          + " sign(pos.quantity) = sign(EXCLUDED.quantity) THEN pos.opened_at ELSE now() END),"
          + " t AS (UPDATE portfolios SET cash = $17, realized_pnl = $20, commissions = $21"
          + " WHERE id = $2)";

  /** The fill's columns as {@code f_column}, next to the order's in {@link #MARKET_FILL}. */
  private static final String PREFIXED_FILL_COLUMNS =
      Arrays.stream(FILL_COLUMNS.split(","))
          .map(String::strip)
          .map(c -> "f." + c + " AS f_" + c)
          .collect(Collectors.joining(", "));

  private static final String RESTING_FILL = "WITH " + FILL_WRITES + " SELECT * FROM f";

  /**
   * A market order filled at once: the order row ($1 its id, $22–$24 key, request hash, time in
   * force; quantity and side are the fill's) and {@link #FILL_WRITES}, in one statement.
   */
  private static final String MARKET_FILL =
      "WITH o AS (INSERT INTO orders (id, portfolio_id, epoch, idempotency_key, request_hash,"
          + " symbol, side, type, time_in_force, quantity, status, filled_quantity)"
          + " VALUES ($1, $2, $3, $22, $23, $4, $5, 'MARKET', $24, $6, 'FILLED', $6) RETURNING "
          + ORDER_COLUMNS
          + "), "
          + FILL_WRITES
          + " SELECT o.*, "
          + PREFIXED_FILL_COLUMNS
          + " FROM o, f";

  /** Binds $1–$21 of {@link #FILL_WRITES}. */
  private static DatabaseClient.GenericExecuteSpec bindFill(
      DatabaseClient.GenericExecuteSpec s,
      PortfolioRow p,
      UUID orderId,
      MarketPrice market,
      Fill f,
      Position after,
      BigDecimal realizedTotal,
      BigDecimal commissionsTotal) {
    s =
        s.bind(0, orderId)
            .bind(1, p.id())
            .bind(2, p.epoch())
            .bind(3, f.symbol())
            .bind(4, f.side().name())
            .bind(5, f.quantity())
            .bind(6, utc(market.ts()))
            .bind(7, market.tradeId())
            .bind(8, f.marketPrice())
            .bind(9, f.slippage())
            .bind(10, f.price())
            .bind(11, f.gross())
            .bind(12, f.commission())
            .bind(13, f.cashDelta())
            .bind(14, f.realizedPnl())
            .bind(15, f.positionAfter())
            .bind(16, f.cashAfter());
    s =
        after == null
            ? s.bindNull(17, Long.class).bindNull(18, BigDecimal.class)
            : s.bind(17, after.quantity()).bind(18, after.avgCost());
    return s.bind(19, realizedTotal).bind(20, commissionsTotal);
  }

  /**
   * Writes a fill of a resting order (whose row the caller updated in the same transaction), its
   * cash movement, the position and the portfolio's totals, in one statement.
   */
  Mono<Views.Fill> recordFill(
      PortfolioRow p,
      UUID orderId,
      MarketPrice market,
      Fill f,
      Position after,
      BigDecimal realizedTotal,
      BigDecimal commissionsTotal) {
    return bindFill(
            db.sql(RESTING_FILL), p, orderId, market, f, after, realizedTotal, commissionsTotal)
        .map(PortfolioRepository::fill)
        .one();
  }

  /** A filled market order: its order row and its fill's writes, in one statement. */
  Mono<Tuple2<Views.Order, Views.Fill>> recordMarketFill(
      PortfolioRow p,
      UUID orderId,
      String key,
      String hash,
      OrderRequest req,
      MarketPrice market,
      Fill f,
      Position after,
      BigDecimal realizedTotal,
      BigDecimal commissionsTotal) {
    DatabaseClient.GenericExecuteSpec s =
        bindFill(
            db.sql(MARKET_FILL), p, orderId, market, f, after, realizedTotal, commissionsTotal);
    s = key == null ? s.bindNull(21, String.class) : s.bind(21, key);
    return s.bind(22, hash)
        .bind(23, req.timeInForce().name())
        .map(r -> Tuples.of(order(r).view(), fillWith(r, "f_")))
        .one();
  }

  Flux<Views.Fill> fillsOf(UUID orderId) {
    return db.sql("SELECT " + FILL_COLUMNS + " FROM paper_trades WHERE order_id = $1 ORDER BY id")
        .bind(0, orderId)
        .map(PortfolioRepository::fill)
        .all();
  }

  /** Fills of the epoch, newest first, before the fill {@code before} (exclusive). */
  Flux<Views.Fill> history(long portfolioId, int epoch, Long before, int limit) {
    DatabaseClient.GenericExecuteSpec s =
        db.sql(
                "SELECT "
                    + FILL_COLUMNS
                    + " FROM paper_trades WHERE portfolio_id = $1 AND epoch = $2"
                    + " AND ($3::bigint IS NULL OR id < $3) ORDER BY id DESC LIMIT $4")
            .bind(0, portfolioId)
            .bind(1, epoch);
    s = before == null ? s.bindNull(2, Long.class) : s.bind(2, before);
    return s.bind(3, limit).map(PortfolioRepository::fill).all();
  }

  // ---- valuation

  /** A position with the newest stored trade of its symbol up to {@code horizon}. */
  record PricedPosition(Position position, BigDecimal lastPrice, Instant lastPriceAt) {}

  Flux<PricedPosition> pricedPositions(long portfolioId, Instant horizon) {
    return db.sql(
            "SELECT p.symbol, p.quantity, p.avg_cost, t.price AS last_price, t.ts AS last_ts"
                + " FROM positions p LEFT JOIN LATERAL (SELECT price, ts FROM trades"
                + " WHERE symbol = p.symbol AND ts <= $2 ORDER BY ts DESC LIMIT 1) t ON true"
                + " WHERE p.portfolio_id = $1 ORDER BY p.symbol")
        .bind(0, portfolioId)
        .bind(1, utc(horizon))
        .map(
            r ->
                new PricedPosition(
                    new Position(
                        r.get("symbol", String.class),
                        r.get("quantity", Long.class),
                        r.get("avg_cost", BigDecimal.class)),
                    r.get("last_price", BigDecimal.class),
                    instant(r, "last_ts")))
        .all();
  }

  /** The total value of the last snapshot of the epoch at or before {@code at}, if any. */
  Mono<BigDecimal> valueAt(long portfolioId, int epoch, Instant at) {
    return db.sql(
            "SELECT total_value FROM portfolio_snapshots WHERE portfolio_id = $1 AND epoch = $2"
                + " AND ts <= $3 ORDER BY ts DESC LIMIT 1")
        .bind(0, portfolioId)
        .bind(1, epoch)
        .bind(2, utc(at))
        .map(r -> r.get("total_value", BigDecimal.class))
        .one();
  }
}
