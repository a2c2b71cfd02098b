package dev.papertape.api.portfolio;

import dev.papertape.ledger.OrderSizing;
import dev.papertape.ledger.Side;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The portfolio as other features may drive it on a user's behalf (auto-executed strategy signals):
 * what the account holds, the price an order would get, and a MARKET order placed through the very
 * path of {@code POST /portfolio/trade} ({@link PortfolioService#trade}: the same lock, rules, fill
 * model, idempotency key and events). Nothing here bypasses the ledger.
 */
@Component
public class AutoOrders {

  /**
   * What sizing an order needs to know of the owner's portfolio.
   *
   * @param held the position in the symbol (negative: short; 0: none)
   */
  public record Account(
      long portfolioId, BigDecimal cash, long held, boolean allowShort, BigDecimal startingCash) {}

  /** The latest trade price an order would be filled at (before slippage). */
  public record Quote(String symbol, BigDecimal price, Instant ts) {}

  /** An order placed (or found: {@code created} false) for an Idempotency-Key. */
  public record Placed(
      UUID orderId, String status, long quantity, long filledQuantity, boolean created) {}

  private final PortfolioService portfolios;
  private final PortfolioRepository repo;
  private final MarketPrices prices;
  private final PortfolioProperties props;
  private final DatabaseClient db;

  AutoOrders(
      PortfolioService portfolios,
      PortfolioRepository repo,
      MarketPrices prices,
      PortfolioProperties props,
      DatabaseClient db) {
    this.portfolios = portfolios;
    this.repo = repo;
    this.prices = prices;
    this.props = props;
    this.db = db;
  }

  /** The user's portfolio and position in {@code symbol}; empty when the user has no portfolio. */
  public Mono<Account> account(long userId, String symbol) {
    return db.sql(
            "SELECT p.id, p.cash, p.allow_short, p.starting_cash,"
                + " coalesce((SELECT s.quantity FROM positions s"
                + " WHERE s.portfolio_id = p.id AND s.symbol = $2), 0) AS held"
                + " FROM portfolios p WHERE p.user_id = $1")
        .bind(0, userId)
        .bind(1, symbol)
        .map(
            r ->
                new Account(
                    r.get("id", Long.class),
                    r.get("cash", BigDecimal.class),
                    r.get("held", Long.class),
                    Boolean.TRUE.equals(r.get("allow_short", Boolean.class)),
                    r.get("starting_cash", BigDecimal.class)))
        .one();
  }

  /** The latest price, no older than {@code PAPERTAPE_MAX_PRICE_AGE}; a 409 stale-price problem. */
  public Mono<Quote> price(String symbol) {
    return prices
        .fresh(symbol, props.maxPriceAge())
        .map(p -> new Quote(p.symbol(), p.price(), p.ts()));
  }

  /** The order the portfolio already has for {@code key}, if any. */
  public Mono<Placed> existing(long portfolioId, String key) {
    return repo.orderByKey(portfolioId, key).map(o -> placed(o.view(), false));
  }

  /**
   * The most whole shares a BUY can take for at most {@code budget} of cash at {@code marketPrice},
   * slippage and commission included (the fill model of the ledger); 0 when not even one.
   */
  public long affordable(BigDecimal budget, BigDecimal marketPrice) {
    return OrderSizing.affordable(
        portfolios.fillModel(), budget, marketPrice, OrderRequest.MAX_QUANTITY);
  }

  /**
   * A MARKET order (time in force DAY) through {@code POST /portfolio/trade}'s path, with {@code
   * key} as its Idempotency-Key. Errors are the same problems a user would get (409 stale-price,
   * 422 insufficient-cash, …).
   */
  public Mono<Placed> market(long userId, String symbol, Side side, long quantity, String key) {
    OrderRequest req =
        new OrderRequest(symbol, side, quantity, OrderType.MARKET, null, null, TimeInForce.DAY);
    return portfolios.trade(userId, req, key).map(r -> placed(r.body(), r.created()));
  }

  private static Placed placed(Views.Order o, boolean created) {
    return new Placed(o.id(), o.status(), o.quantity(), o.filledQuantity(), created);
  }
}
