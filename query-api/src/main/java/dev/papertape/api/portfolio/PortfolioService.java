package dev.papertape.api.portfolio;

import dev.papertape.api.config.ClockProperties;
import dev.papertape.api.market.LatestPrices;
import dev.papertape.api.market.SymbolDirectory;
import dev.papertape.api.portfolio.matching.Match;
import dev.papertape.api.portfolio.matching.MatchRules;
import dev.papertape.api.portfolio.matching.PortfolioEvents;
import dev.papertape.api.portfolio.matching.RestingOrder;
import dev.papertape.api.portfolio.matching.RestingResult;
import dev.papertape.ledger.Execution;
import dev.papertape.ledger.Fill;
import dev.papertape.ledger.FillModel;
import dev.papertape.ledger.Ledger;
import dev.papertape.ledger.LedgerRejection;
import dev.papertape.ledger.Money;
import dev.papertape.ledger.Position;
import dev.papertape.model.Trade;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.function.Tuple2;
import reactor.util.function.Tuples;

/**
 * The paper portfolio: init and reset, orders, fills, valuation. Every change of the ledger is one
 * database transaction that first locks the portfolio row ({@code SELECT … FOR UPDATE}), so
 * requests on one portfolio are serialised (no lost update) and a refused request stores nothing.
 */
@Service
public class PortfolioService {
  private static final Logger log = LoggerFactory.getLogger(PortfolioService.class);

  /** What a write answered, and whether it created something (201) or returned it (200). */
  record Result<T>(T body, boolean created) {}

  private final PortfolioRepository repo;
  private final MarketPrices prices;
  private final LatestPrices latest;
  private final SymbolDirectory symbols;
  private final TransactionalOperator tx;
  private final PortfolioProperties props;
  private final FillModel fillModel;
  private final Clock clock;
  private final ClockProperties time;
  private final PortfolioEvents events;

  PortfolioService(
      PortfolioRepository repo,
      MarketPrices prices,
      LatestPrices latest,
      SymbolDirectory symbols,
      ReactiveTransactionManager transactions,
      PortfolioProperties props,
      Clock clock,
      ClockProperties time,
      PortfolioEvents events) {
    this.repo = repo;
    this.prices = prices;
    this.latest = latest;
    this.symbols = symbols;
    this.tx = TransactionalOperator.create(transactions);
    this.props = props;
    this.fillModel = props.fillModel();
    this.clock = clock;
    this.time = time;
    this.events = events;
    log.atInfo()
        .addKeyValue("fillModel", fillModel)
        .addKeyValue("maxPriceAge", props.maxPriceAge())
        .addKeyValue("allowShort", props.allowShort())
        .log("Paper portfolio settings");
  }

  FillModel fillModel() {
    return fillModel;
  }

  // ---- portfolio

  Mono<Result<Views.Portfolio>> init(long userId, BigDecimal startingCash) {
    Mono<Result<PortfolioRepository.PortfolioRow>> created =
        repo.create(userId, startingCash, props.allowShort())
            .flatMap(
                p ->
                    repo.deposit(p.id(), p.epoch(), startingCash)
                        .thenReturn(new Result<>(p, true)));
    return created
        .as(tx::transactional)
        .switchIfEmpty(Mono.defer(() -> repo.byUser(userId).map(p -> new Result<>(p, false))))
        .doOnNext(
            r -> {
              if (r.created()) {
                log.atInfo()
                    .addKeyValue("portfolio", r.body().id())
                    .addKeyValue("startingCash", startingCash)
                    .log("Portfolio created");
              }
            })
        .flatMap(r -> view(r.body()).map(v -> new Result<>(v, r.created())));
  }

  /**
   * Resets the portfolio (a new epoch); once committed, the orders it canceled and the portfolio
   * after it are published to {@code /stream/portfolio}.
   */
  Mono<Views.Portfolio> reset(long userId, BigDecimal startingCash) {
    return repo.lockByUser(userId)
        .switchIfEmpty(Mono.error(PortfolioProblems::noPortfolio))
        .flatMap(
            p ->
                repo.reset(
                    p.id(),
                    startingCash == null ? p.startingCash() : startingCash,
                    props.allowShort()))
        .as(tx::transactional)
        .doOnNext(
            r -> {
              log.atInfo()
                  .addKeyValue("portfolio", r.portfolio().id())
                  .addKeyValue("epoch", r.portfolio().epoch())
                  .addKeyValue("canceled", r.canceled().size())
                  .log("Portfolio reset");
              for (Views.Order o : r.canceled()) {
                events.publish(r.portfolio().id(), PortfolioEvents.Kind.ORDER, o);
              }
            })
        .flatMap(r -> view(r.portfolio()))
        .doOnNext(v -> events.publish(v.id(), PortfolioEvents.Kind.RESET, v));
  }

  Mono<Views.Portfolio> portfolio(long userId) {
    return owned(userId).flatMap(this::view);
  }

  /** The id of the user's portfolio; a 404 no-portfolio problem when there is none. */
  public Mono<Long> portfolioIdOf(long userId) {
    return owned(userId).map(PortfolioRepository.PortfolioRow::id);
  }

  private Mono<PortfolioRepository.PortfolioRow> owned(long userId) {
    return repo.byUser(userId).switchIfEmpty(Mono.error(PortfolioProblems::noPortfolio));
  }

  /**
   * What valuing a portfolio reads from the database: its row, its positions with the newest stored
   * trade of each symbol, and its value at the start of {@code day} (UTC). Read once, {@link
   * #valued} any number of times as prices move ({@code /stream/portfolio}).
   */
  record Holdings(
      PortfolioRepository.PortfolioRow portfolio,
      List<PortfolioRepository.PricedPosition> positions,
      BigDecimal dayStart,
      LocalDate day) {
    /** The symbols held. */
    java.util.Set<String> symbols() {
      java.util.Set<String> s = new java.util.HashSet<>();
      positions.forEach(p -> s.add(p.position().symbol()));
      return s;
    }
  }

  /** The UTC day of now. */
  LocalDate today() {
    return LocalDate.now(clock.withZone(ZoneOffset.UTC));
  }

  /** Reads what {@link #valued} needs. */
  Mono<Holdings> holdings(PortfolioRepository.PortfolioRow p) {
    LocalDate day = today();
    Instant startOfDay = day.atStartOfDay().toInstant(ZoneOffset.UTC);
    Mono<List<PortfolioRepository.PricedPosition>> positions =
        repo.pricedPositions(p.id(), time.horizon(clock)).collectList();
    Mono<BigDecimal> dayStart =
        repo.valueAt(p.id(), p.epoch(), startOfDay).defaultIfEmpty(p.startingCash());
    return Mono.zip(positions, dayStart).map(t -> new Holdings(p, t.getT1(), t.getT2(), day));
  }

  /** The user's portfolio and what {@link #valued} needs. */
  Mono<Holdings> holdingsOf(long userId) {
    return owned(userId).flatMap(this::holdings);
  }

  /** Values the portfolio at the latest prices (the stream's, or the newest stored trade). */
  Mono<Views.Portfolio> view(PortfolioRepository.PortfolioRow p) {
    return holdings(p).map(this::valued);
  }

  /**
   * The portfolio valued at the latest prices: each position at the newer of its stored trade and
   * the stream's latest price ({@link LatestPrices}, read now), no database access.
   */
  Views.Portfolio valued(Holdings h) {
    PortfolioRepository.PortfolioRow p = h.portfolio();
    List<Views.Position> positions = new ArrayList<>(h.positions().size());
    BigDecimal value = Money.ZERO_CASH;
    BigDecimal unrealised = Money.ZERO_CASH;
    for (PortfolioRepository.PricedPosition pp : h.positions()) {
      Views.Position pos = position(pp);
      positions.add(pos);
      value = value.add(pos.marketValue());
      unrealised = unrealised.add(pos.unrealisedPnl());
    }
    BigDecimal total = p.cash().add(value);
    return new Views.Portfolio(
        p.id(),
        "USD",
        p.epoch(),
        p.startingCash(),
        p.cash(),
        value,
        total,
        p.realizedPnl(),
        unrealised,
        p.commissions(),
        total.subtract(h.dayStart()),
        p.allowShort(),
        p.createdAt(),
        p.resetAt(),
        List.copyOf(positions));
  }

  private Views.Position position(PortfolioRepository.PricedPosition pp) {
    Position pos = pp.position();
    BigDecimal last = pp.lastPrice();
    Instant at = pp.lastPriceAt();
    var streamed = latest.get(pos.symbol());
    if (streamed.isPresent() && (at == null || streamed.get().ts().isAfter(at))) {
      last = streamed.get().price();
      at = streamed.get().ts();
    }
    BigDecimal qty = BigDecimal.valueOf(pos.quantity());
    BigDecimal value = Money.cents(qty.multiply(last == null ? pos.avgCost() : last));
    BigDecimal unrealised =
        last == null ? Money.ZERO_CASH : Money.cents(last.subtract(pos.avgCost()).multiply(qty));
    return new Views.Position(
        pos.symbol(),
        pos.quantity(),
        pos.avgCost(),
        last == null ? null : Money.price(last),
        at,
        value,
        unrealised);
  }

  // ---- orders

  /**
   * Places an order. Without an Idempotency-Key the portfolio is found by the locking read itself;
   * with one, a repeated key is answered from the stored order before anything else (no price
   * needed), and checked again under the lock.
   */
  Mono<Result<Views.Order>> trade(long userId, OrderRequest raw, String key) {
    return symbols
        .require(raw.symbol())
        .map(raw::withSymbol)
        .flatMap(
            req -> {
              String hash = req.hash();
              Mono<Result<Views.Order>> placed =
                  key == null
                      ? place(userId, req, null, hash)
                      : owned(userId)
                          .flatMap(p -> repo.orderByKey(p.id(), key))
                          .flatMap(o -> replay(o, key, hash))
                          .switchIfEmpty(Mono.defer(() -> place(userId, req, key, hash)));
              return placed.onErrorResume(
                  e -> e instanceof DataIntegrityViolationException && key != null,
                  e ->
                      owned(userId)
                          .flatMap(p -> repo.orderByKey(p.id(), key))
                          .flatMap(o -> replay(o, key, hash))
                          .switchIfEmpty(Mono.error(e)));
            });
  }

  /** The first answer to a repeated Idempotency-Key, or 422 when the body differs. */
  private Mono<Result<Views.Order>> replay(
      PortfolioRepository.OrderRow o, String key, String hash) {
    if (!o.requestHash().equals(hash)) {
      return Mono.error(PortfolioProblems.idempotencyKeyReused(key));
    }
    return withFills(o.view()).map(v -> new Result<>(v, false));
  }

  private Mono<Views.Order> withFills(Views.Order o) {
    return repo.fillsOf(o.id()).collectList().map(o::withFills);
  }

  private Mono<Result<Views.Order>> place(long userId, OrderRequest req, String key, String hash) {
    if (req.type() == OrderType.MARKET) {
      return prices
          .fresh(req.symbol(), props.maxPriceAge())
          .flatMap(price -> inLock(userId, key, hash, l -> fillMarket(l, req, key, hash, price)));
    }
    return inLock(userId, key, hash, l -> rest(l.portfolio(), req, key, hash));
  }

  /**
   * Runs {@code write} in one transaction on the locked portfolio row; a request with the same
   * Idempotency-Key that committed while this one waited for the lock is answered as a replay. A
   * new order's events are published once the transaction committed.
   */
  private Mono<Result<Views.Order>> inLock(
      long userId,
      String key,
      String hash,
      java.util.function.Function<PortfolioRepository.Locked, Mono<Result<Views.Order>>> write) {
    return repo.lockWithPositions(userId)
        .switchIfEmpty(Mono.error(PortfolioProblems::noPortfolio))
        .flatMap(
            locked ->
                (key == null
                        ? Mono.<PortfolioRepository.OrderRow>empty()
                        : repo.orderByKey(locked.portfolio().id(), key))
                    .flatMap(o -> replay(o, key, hash))
                    .switchIfEmpty(Mono.defer(() -> write.apply(locked)))
                    .map(r -> Tuples.of(locked.portfolio().id(), r)))
        .as(tx::transactional)
        .doOnNext(
            t -> {
              if (t.getT2().created()) {
                published(t.getT1(), t.getT2().body());
              }
            })
        .map(Tuple2::getT2);
  }

  private Mono<Result<Views.Order>> fillMarket(
      PortfolioRepository.Locked locked,
      OrderRequest req,
      String key,
      String hash,
      MarketPrice price) {
    PortfolioRepository.PortfolioRow p = locked.portfolio();
    Execution e = fillModel.execute(req.side(), req.quantity(), price.price());
    UUID id = UUID.randomUUID();
    return fill(
            p,
            locked.positions(),
            req.symbol(),
            e,
            (f, ledger) ->
                repo.recordMarketFill(
                    p,
                    id,
                    key,
                    hash,
                    req,
                    price,
                    f,
                    ledger.position(req.symbol()),
                    ledger.realizedPnl(),
                    ledger.commissions()))
        .onErrorMap(LedgerRejection.class, PortfolioService::problem)
        .map(t -> t.getT1().withFills(List.of(t.getT2())))
        .doOnNext(
            o ->
                log.atInfo()
                    .addKeyValue("portfolio", p.id())
                    .addKeyValue("order", id)
                    .addKeyValue("symbol", req.symbol())
                    .addKeyValue("side", req.side())
                    .addKeyValue("quantity", req.quantity())
                    .addKeyValue("price", e.price())
                    .addKeyValue("commission", e.commission())
                    .addKeyValue("trade", price.tradeId())
                    .log("Market order filled"))
        .map(o -> new Result<>(o, true));
  }

  /** Writes a fill the ledger accepted: {@code f} and the ledger after it. */
  @FunctionalInterface
  private interface FillWrite<T> {
    Mono<Tuple2<T, Views.Fill>> write(Fill f, Ledger after);
  }

  /**
   * The one fill of the ledger, for market and resting orders alike; runs inside the caller's
   * transaction, on the portfolio row it locked and the positions it read after the lock (so they
   * are the committed ones). Checks {@code e} against the rules on the locked cash and positions
   * ({@link LedgerRejection} when they refuse it, nothing written), then hands the fill and the
   * ledger after it to {@code write} (the order's row, the fill row naming its market trade, its
   * cash movement, the position and the portfolio's totals).
   */
  private <T> Mono<Tuple2<T, Views.Fill>> fill(
      PortfolioRepository.PortfolioRow p,
      List<Position> held,
      String symbol,
      Execution e,
      FillWrite<T> write) {
    Ledger ledger =
        new Ledger(
            p.startingCash(), p.allowShort(), p.cash(), p.realizedPnl(), p.commissions(), held);
    Fill f;
    try {
      f = ledger.execute(symbol, e);
    } catch (LedgerRejection r) {
      return Mono.error(r);
    }
    return write.write(f, ledger);
  }

  // ---- resting orders (driven by the matcher, see matching/)

  /**
   * What one market trade does to one resting order, in one transaction: the portfolio row is
   * locked, then the order row (the order a cancel takes them in, so a cancel and a fill of one
   * order never interleave: whichever comes second sees the other's status), and {@link MatchRules}
   * decide again on the locked row. A trade that already filled the order (a replay, or another API
   * instance) does nothing; the UNIQUE (order_id, market_trade_ts, market_trade_id) of paper_trades
   * is the last line. A fill the ledger's rules refuse (cash for a BUY, commission included; the
   * position for a SELL; the short limit) cancels the order with that reason.
   *
   * @return empty when the trade does nothing to the order
   */
  public Mono<RestingResult> fillResting(long portfolioId, UUID orderId, Trade trade) {
    List<PortfolioEvents.Event> published = new ArrayList<>();
    return repo.lockById(portfolioId)
        .flatMap(
            p ->
                repo.lockResting(orderId)
                    .filter(o -> o.portfolioId() == p.id() && o.epoch() == p.epoch())
                    .flatMap(
                        o ->
                            Mono.justOrEmpty(MatchRules.match(o, trade, clock.instant()))
                                .filterWhen(
                                    m ->
                                        repo.filledBy(o.id(), trade.ts(), trade.tradeId())
                                            .map(done -> !done))
                                .flatMap(m -> applyResting(p, o, m, trade, published))))
        .as(tx::transactional)
        .doOnNext(
            r -> {
              published.forEach(events::publish);
              log.atInfo()
                  .addKeyValue("portfolio", portfolioId)
                  .addKeyValue("order", orderId)
                  .addKeyValue("trade", trade.tradeId())
                  .addKeyValue("tradeTs", trade.ts())
                  .addKeyValue("price", trade.price())
                  .addKeyValue("filled", r.filled())
                  .addKeyValue("status", r.status())
                  .addKeyValue("reason", r.reason())
                  .log("Resting order matched");
            });
  }

  private Mono<RestingResult> applyResting(
      PortfolioRepository.PortfolioRow p,
      RestingOrder o,
      Match m,
      Trade trade,
      List<PortfolioEvents.Event> published) {
    Instant trigger = m.triggers() ? trade.ts() : null;
    if (m.quantity() == 0) {
      return repo.updateResting(o.id(), o.filledQuantity(), o.status(), trigger, null)
          .doOnNext(
              v -> published.add(new PortfolioEvents.Event(p.id(), PortfolioEvents.Kind.ORDER, v)))
          .map(v -> new RestingResult(o.id(), 0, o.status(), null));
    }
    long filled = o.filledQuantity() + m.quantity();
    OrderStatus status = filled == o.quantity() ? OrderStatus.FILLED : OrderStatus.PARTIALLY_FILLED;
    MarketPrice market =
        new MarketPrice(trade.symbol(), trade.price(), trade.ts(), trade.tradeId());
    return repo.commissionOf(o.id())
        .zipWhen(paid -> repo.positions(p.id()).collectList())
        .flatMap(
            paidAndHeld ->
                fill(
                    p,
                    paidAndHeld.getT2(),
                    o.symbol(),
                    fillModel.execute(
                        o.side(),
                        m.quantity(),
                        trade.price(),
                        m.withSlippage(),
                        paidAndHeld.getT1()),
                    (f, ledger) ->
                        repo.updateResting(o.id(), filled, status, trigger, null)
                            .flatMap(
                                order ->
                                    repo.recordFill(
                                            p,
                                            o.id(),
                                            market,
                                            f,
                                            ledger.position(o.symbol()),
                                            ledger.realizedPnl(),
                                            ledger.commissions())
                                        .map(fill -> Tuples.of(order, fill)))))
        .map(
            t -> {
              published.add(
                  new PortfolioEvents.Event(p.id(), PortfolioEvents.Kind.FILL, t.getT2()));
              published.add(
                  new PortfolioEvents.Event(p.id(), PortfolioEvents.Kind.ORDER, t.getT1()));
              return new RestingResult(o.id(), m.quantity(), status, null);
            })
        .onErrorResume(
            LedgerRejection.class,
            r -> {
              String reason = reason(r.reason());
              return repo.updateResting(
                      o.id(), o.filledQuantity(), OrderStatus.CANCELED, trigger, reason)
                  .doOnNext(
                      v ->
                          published.add(
                              new PortfolioEvents.Event(p.id(), PortfolioEvents.Kind.ORDER, v)))
                  .map(v -> new RestingResult(o.id(), 0, OrderStatus.CANCELED, reason));
            });
  }

  private static String reason(LedgerRejection.Reason r) {
    return switch (r) {
      case INSUFFICIENT_CASH -> "insufficient-cash";
      case INSUFFICIENT_POSITION -> "insufficient-position";
      case SHORT_LIMIT -> "short-limit";
    };
  }

  /** Expires the open orders whose day is over; returns how many. */
  public Mono<Long> expireDue() {
    return repo.expire(clock.instant())
        .doOnNext(o -> events.publish(o.portfolioId(), PortfolioEvents.Kind.ORDER, o.view()))
        .count();
  }

  /** The events of a new order (and its fills) of the portfolio, once committed. */
  private void published(long portfolioId, Views.Order o) {
    events.publish(portfolioId, PortfolioEvents.Kind.ORDER, o.withFills(null));
    if (o.fills() != null) {
      for (Views.Fill f : o.fills()) {
        events.publish(portfolioId, PortfolioEvents.Kind.FILL, f);
      }
    }
  }

  private Mono<Result<Views.Order>> rest(
      PortfolioRepository.PortfolioRow p, OrderRequest req, String key, String hash) {
    Instant expires =
        req.timeInForce() == TimeInForce.DAY
            ? LocalDate.now(clock.withZone(ZoneOffset.UTC))
                .plusDays(1)
                .atStartOfDay()
                .toInstant(ZoneOffset.UTC)
            : null;
    UUID id = UUID.randomUUID();
    return repo.insertOrder(id, p, key, hash, req, OrderStatus.ACCEPTED, 0, expires)
        .map(o -> o.withFills(List.of()))
        .doOnNext(
            o ->
                log.atInfo()
                    .addKeyValue("portfolio", p.id())
                    .addKeyValue("order", id)
                    .addKeyValue("type", req.type())
                    .log("Resting order accepted"))
        .map(o -> new Result<>(o, true));
  }

  private static ErrorResponseException problem(LedgerRejection r) {
    return switch (r.reason()) {
      case INSUFFICIENT_CASH ->
          PortfolioProblems.unprocessable(
              PortfolioProblems.INSUFFICIENT_CASH, "Insufficient cash", r.getMessage());
      case INSUFFICIENT_POSITION ->
          PortfolioProblems.unprocessable(
              PortfolioProblems.INSUFFICIENT_POSITION, "Insufficient position", r.getMessage());
      case SHORT_LIMIT ->
          PortfolioProblems.unprocessable(
              PortfolioProblems.SHORT_LIMIT, "Short limit exceeded", r.getMessage());
    };
  }

  Mono<Views.Order> order(long userId, UUID id) {
    return owned(userId)
        .flatMap(p -> repo.order(p.id(), id, false))
        .switchIfEmpty(Mono.error(() -> PortfolioProblems.orderNotFound(id.toString())))
        .flatMap(o -> withFills(o.view()));
  }

  Mono<Views.Order> cancel(long userId, UUID id) {
    return repo.lockByUser(userId)
        .switchIfEmpty(Mono.error(PortfolioProblems::noPortfolio))
        .flatMap(
            p ->
                repo.order(p.id(), id, true)
                    .switchIfEmpty(Mono.error(() -> PortfolioProblems.orderNotFound(id.toString())))
                    .flatMap(
                        o -> {
                          OrderStatus s = OrderStatus.valueOf(o.view().status());
                          if (!s.open()) {
                            return Mono.error(
                                PortfolioProblems.orderNotCancelable(id.toString(), s));
                          }
                          return repo.cancel(id).map(v -> Tuples.of(p.id(), v));
                        }))
        .as(tx::transactional)
        .doOnNext(t -> events.publish(t.getT1(), PortfolioEvents.Kind.ORDER, t.getT2()))
        .map(Tuple2::getT2)
        .flatMap(this::withFills);
  }

  Flux<Views.Order> orders(long userId, OrderStatus status, UUID after, int limit) {
    return owned(userId).flatMapMany(p -> repo.orders(p.id(), status, after, limit));
  }

  Flux<Views.Fill> history(long userId, Long before, int limit) {
    return owned(userId).flatMapMany(p -> repo.history(p.id(), p.epoch(), before, limit));
  }
}
