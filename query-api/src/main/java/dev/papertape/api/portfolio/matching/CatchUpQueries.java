package dev.papertape.api.portfolio.matching;

import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.Trade;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SynchronousSink;

/**
 * The catch-up's reads: which symbols have open resting orders, the stored trades ({@code trades},
 * written by the Flink job) that may act on them, and the orders one such trade acts on. Read-only:
 * every write goes through {@code PortfolioService.fillResting}, as for live trades.
 */
@Component
public class CatchUpQueries {
  private static final Logger log = LoggerFactory.getLogger(CatchUpQueries.class);

  private static final String OPEN = "status IN ('ACCEPTED', 'PARTIALLY_FILLED')";

  /** The open orders per symbol (the partial index orders_resting). */
  private static final String SYMBOLS =
      "SELECT symbol, count(*) AS orders, min(created_at) AS oldest FROM orders WHERE "
          + OPEN
          + " GROUP BY symbol ORDER BY symbol";

  /**
   * An order takes a trade only after it was placed, after its last fill's market trade, before it
   * expires (at the trade's time and now: $2 / $5), when the trade reaches its price ({@link
   * MatchRules#reachedSql}).
   */
  private static String takes(String ts, String tradeId, String price) {
    return "o.symbol = $1 AND o."
        + OPEN
        + " AND o.created_at < "
        + ts
        + " AND (o.expires_at IS NULL OR (o.expires_at > "
        + ts
        + " AND o.expires_at > $NOW)) AND "
        + MatchRules.reachedSql(ts, price)
        + " AND NOT EXISTS (SELECT 1 FROM paper_trades f WHERE f.order_id = o.id"
        + " AND (f.market_trade_ts, f.market_trade_id) >= ("
        + ts
        + ", "
        + tradeId
        + "))";
  }

  /**
   * One page of stored trades of a symbol in (from, until), in trade-time order, that some open
   * order takes ($1 symbol, $2/$3 from, $4/$5 until, $6 now, $7 limit). The plain ts bounds let
   * TimescaleDB skip chunks; the primary key (symbol, ts, trade_id) gives the order.
   */
  private static final String PAGE =
      "SELECT t.ts, t.trade_id, t.price, t.size, t.source FROM trades t WHERE t.symbol = $1"
          + " AND t.ts >= $2 AND t.ts <= $4 AND (t.ts, t.trade_id) > ($2, $3)"
          + " AND (t.ts, t.trade_id) < ($4, $5)"
          + " AND EXISTS (SELECT 1 FROM orders o WHERE "
          + takes("t.ts", "t.trade_id", "t.price").replace("$NOW", "$6")
          + ") ORDER BY t.ts, t.trade_id LIMIT $7";

  /** The orders one stored trade acts on ($1 symbol, $2 ts, $3 price, $4 trade id, $5 now). */
  private static final String CANDIDATES =
      "SELECT o.id, o.portfolio_id FROM orders o WHERE "
          + takes("$2", "$4", "$3").replace("$NOW", "$5")
          + " ORDER BY o.created_at, o.id";

  private final DatabaseClient db;

  public CatchUpQueries(DatabaseClient db) {
    this.db = db;
  }

  /** A symbol with open resting orders: how many, and when the oldest was placed. */
  record OpenSymbol(String symbol, long orders, Instant oldest) {}

  Flux<OpenSymbol> openSymbols() {
    return db.sql(SYMBOLS)
        .map(
            r ->
                new OpenSymbol(
                    r.get("symbol", String.class),
                    r.get("orders", Long.class),
                    r.get("oldest", OffsetDateTime.class).toInstant()))
        .all();
  }

  /**
   * A stored trade and its exact position (the row's own ts and id, which the next page starts
   * after).
   */
  record Stored(Trade trade, CatchUpWindow.Key key) {}

  Flux<Stored> page(String symbol, CatchUpWindow w, Instant now, int limit) {
    return db.sql(PAGE)
        .bind(0, symbol)
        .bind(1, utc(w.from().ts()))
        .bind(2, w.from().tradeId())
        .bind(3, utc(w.until().ts()))
        .bind(4, w.until().tradeId())
        .bind(5, utc(now))
        .bind(6, limit)
        .map(
            r ->
                new Row(
                    r.get("ts", OffsetDateTime.class).toInstant(),
                    r.get("trade_id", String.class),
                    r.get("price", BigDecimal.class),
                    r.get("size", Long.class),
                    r.get("source", String.class)))
        .all()
        .handle((Row r, SynchronousSink<Stored> sink) -> r.toStored(symbol, sink));
  }

  private record Row(Instant ts, String tradeId, BigDecimal price, long size, String source) {
    void toStored(String symbol, SynchronousSink<Stored> sink) {
      CatchUpWindow.Key key = new CatchUpWindow.Key(ts, tradeId);
      try {
        sink.next(new Stored(new Trade(symbol, price, size, ts, tradeId, source), key));
      } catch (InvalidRecordException e) {
        // the Flink job validates every trade it stores: this is a hand-made row; skip it
        log.atWarn()
            .addKeyValue("symbol", symbol)
            .addKeyValue("trade", tradeId)
            .addKeyValue("error", e.getMessage())
            .log("Stored trade skipped by the catch-up: not a valid trade");
      }
    }
  }

  /** The open orders {@code t} acts on, oldest first (as the live matcher takes them). */
  Flux<RestingOrderMatcher.Candidate> candidates(Trade t, Instant now) {
    return db.sql(CANDIDATES)
        .bind(0, t.symbol())
        .bind(1, utc(t.ts()))
        .bind(2, t.price())
        .bind(3, t.tradeId())
        .bind(4, utc(now))
        .map(
            r ->
                new RestingOrderMatcher.Candidate(
                    r.get("id", UUID.class), r.get("portfolio_id", Long.class)))
        .all();
  }

  private static OffsetDateTime utc(Instant t) {
    return t.atOffset(ZoneOffset.UTC);
  }
}
