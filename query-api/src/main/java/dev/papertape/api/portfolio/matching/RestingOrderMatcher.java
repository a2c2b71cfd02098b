package dev.papertape.api.portfolio.matching;

import dev.papertape.api.market.LatestPrices;
import dev.papertape.api.portfolio.PortfolioService;
import dev.papertape.model.Trade;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Fills resting orders from the live trades: every trade the API's {@code trades} consumer takes
 * (the same feed as {@link LatestPrices}) is matched, in the order read, against the open orders of
 * its symbol placed before it whose price it reaches ({@link MatchRules}; one indexed query on
 * {@code orders_resting}), and each such order gets one {@link PortfolioService#fillResting}
 * transaction. All database work is R2DBC, off the consumer thread: the consumer only hands the
 * trade to a bounded buffer of {@value #BUFFER} trades (when the database falls that far behind,
 * the oldest waiting trades are dropped and counted in {@code
 * papertape_matcher_trades_dropped_total}, and offered again from the stored trades, below).
 *
 * <p>The trades it never saw (those of the time the API was stopped, the consumer starting at the
 * end of the topic; those it dropped) are offered from the stored {@code trades} by {@link
 * RestingOrderCatchUp}: one pass when the matcher starts, one before it goes on after dropping
 * trades. Live matching waits (its trades buffered) until the pass is done, so every order sees the
 * market in trade-time order; at start each symbol's catch-up stops at the first live trade of that
 * symbol. A failed pass is logged, counted and retried before the next live trade.
 *
 * <p>Every API instance runs a matcher and sees every trade; the row locks and the unique key of
 * {@code paper_trades} make each trade fill each order once. A sweep every {@link #SWEEP} expires
 * the DAY orders whose day is over ({@link MatchRules} never fills them even before the sweep).
 */
@Component
public class RestingOrderMatcher implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(RestingOrderMatcher.class);

  static final int BUFFER = 10_000;
  static final Duration SWEEP = Duration.ofSeconds(30);

  private static final String CANDIDATES =
      "SELECT id, portfolio_id FROM orders WHERE symbol = $1"
          + " AND status IN ('ACCEPTED', 'PARTIALLY_FILLED') AND created_at < $2"
          + " AND (expires_at IS NULL OR expires_at > $2) AND "
          + MatchRules.REACHED_SQL
          + " ORDER BY created_at, id";

  private final LatestPrices prices;
  private final PortfolioService portfolios;
  private final DatabaseClient db;
  private final RestingOrderCatchUp catchUp;
  private final int buffer;
  private final Counter dropped;
  private final Counter failed;
  private final Counter filled;
  private final Disposable.Swap running = Disposables.swap();
  private volatile boolean started;

  @Autowired
  public RestingOrderMatcher(
      LatestPrices prices,
      PortfolioService portfolios,
      DatabaseClient db,
      RestingOrderCatchUp catchUp,
      MeterRegistry registry) {
    this(prices, portfolios, db, catchUp, registry, BUFFER);
  }

  /** With a live buffer of {@code buffer} trades (tests make it overflow with a small one). */
  public RestingOrderMatcher(
      LatestPrices prices,
      PortfolioService portfolios,
      DatabaseClient db,
      RestingOrderCatchUp catchUp,
      MeterRegistry registry,
      int buffer) {
    this.buffer = buffer;
    this.prices = prices;
    this.portfolios = portfolios;
    this.db = db;
    this.catchUp = catchUp;
    this.dropped =
        Counter.builder("papertape.matcher.trades.dropped")
            .description("Trades not matched against resting orders: the matcher fell behind")
            .register(registry);
    this.failed =
        Counter.builder("papertape.matcher.failures")
            .description("Resting-order matches that failed (the order keeps resting)")
            .register(registry);
    this.filled =
        Counter.builder("papertape.matcher.fills")
            .description("Resting-order fills made by this instance")
            .register(registry);
  }

  /** The candidates of one trade: open orders of its symbol, placed before it, that it reaches. */
  record Candidate(UUID id, long portfolioId) {}

  Flux<Candidate> candidates(Trade t) {
    return db.sql(CANDIDATES)
        .bind(0, t.symbol())
        .bind(1, t.ts().atOffset(ZoneOffset.UTC))
        .bind(2, t.price())
        .map(r -> new Candidate(r.get("id", UUID.class), r.get("portfolio_id", Long.class)))
        .all();
  }

  /**
   * Matches one trade against the resting orders, one order after the other; never fails (a failure
   * is logged and counted, the order keeps resting).
   */
  public Flux<RestingResult> match(Trade t) {
    return candidates(t)
        .concatMap(
            c ->
                portfolios
                    .fillResting(c.portfolioId(), c.id(), t)
                    .doOnNext(
                        r -> {
                          if (r.filled() > 0) {
                            filled.increment();
                          }
                        })
                    .onErrorResume(e -> failed(c.id(), t, e)))
        .onErrorResume(e -> failed(null, t, e));
  }

  private Mono<RestingResult> failed(UUID order, Trade t, Throwable e) {
    failed.increment();
    log.atWarn()
        .addKeyValue("order", order)
        .addKeyValue("symbol", t.symbol())
        .addKeyValue("trade", t.tradeId())
        .addKeyValue("error", e.toString())
        .log("Resting order match failed; the order keeps resting");
    return Mono.empty();
  }

  /** Expires the DAY orders whose day is over; never fails. */
  public Mono<Long> sweep() {
    return portfolios
        .expireDue()
        .doOnNext(
            n -> {
              if (n > 0) {
                log.atInfo().addKeyValue("expired", n).log("Day orders expired");
              }
            })
        .onErrorResume(
            e -> {
              log.atWarn().addKeyValue("error", e.toString()).log("Expiry sweep failed");
              return Mono.just(0L);
            });
  }

  /** A live trade and its place in the order the consumer delivered them. */
  private record Live(long seq, Trade trade) {}

  /**
   * A catch-up that is due: from the oldest dropped trade (or the since of a failed pass), to run
   * before the first live trade delivered after {@code afterSeq} (the newest dropped one: trades
   * already taken from the buffer when it overflowed are older and are matched as they are).
   */
  private record Due(Instant since, long afterSeq) {}

  private final Object dueLock = new Object();
  private Due due;

  private void due(Instant since, long afterSeq) {
    synchronized (dueLock) {
      due =
          due == null
              ? new Due(since, afterSeq)
              : new Due(
                  since.isBefore(due.since()) ? since : due.since(),
                  Math.max(afterSeq, due.afterSeq()));
    }
  }

  /** The catch-up to run before {@code next}, taken (cleared); null when none is due before it. */
  private Instant takeDue(Live next) {
    synchronized (dueLock) {
      if (due == null || next.seq() <= due.afterSeq()) {
        return null;
      }
      Instant since = due.since();
      due = null;
      return since;
    }
  }

  private void droppedTrade(Live l) {
    dropped.increment();
    due(l.trade().ts(), l.seq());
  }

  /** A catch-up pass that never fails: a failure is logged, and the pass is due again. */
  private Mono<Void> catchUp(
      RestingOrderCatchUp.Reason reason,
      Instant since,
      Function<String, CatchUpWindow.Key> live,
      Instant retryFrom) {
    return catchUp
        .pass(reason, since, live)
        .then()
        .onErrorResume(
            e -> {
              log.atWarn()
                  .addKeyValue("reason", reason)
                  .addKeyValue("error", e.toString())
                  .log("Resting-order catch-up failed; retried before the next live trade");
              due(retryFrom, 0);
              return Mono.empty();
            });
  }

  /** Before a live trade: the catch-up of the trades dropped before it, if any is due. */
  private Mono<Void> dueCatchUp(Live next) {
    return Mono.defer(
        () -> {
          Instant since = takeDue(next);
          if (since == null) {
            return Mono.empty();
          }
          CatchUpWindow.Key bound = CatchUpWindow.Key.of(next.trade());
          return catchUp(RestingOrderCatchUp.Reason.DROPPED, since, s -> bound, since);
        });
  }

  @Override
  public synchronized void start() {
    // the first live trade of each symbol, taken before the start pass reads the stored trades:
    // that symbol's catch-up ends there and live matching begins with it
    Map<String, CatchUpWindow.Key> firstLive = new ConcurrentHashMap<>();
    Mono<Void> caughtUp =
        Mono.defer(
                () ->
                    catchUp(RestingOrderCatchUp.Reason.START, null, firstLive::get, Instant.EPOCH))
            .cache();
    AtomicLong seq = new AtomicLong();
    synchronized (dueLock) {
      due = null; // the start pass covers everything a previous run dropped
    }
    Disposable trades =
        prices
            .trades()
            .map(
                t -> {
                  firstLive.putIfAbsent(t.symbol(), CatchUpWindow.Key.of(t));
                  return new Live(seq.incrementAndGet(), t);
                })
            .onBackpressureBuffer(buffer, this::droppedTrade, BufferOverflowStrategy.DROP_OLDEST)
            .concatMap(l -> caughtUp.then(dueCatchUp(l)).thenMany(match(l.trade())), 1)
            .subscribe();
    Disposable first = caughtUp.subscribe();
    Disposable sweeps =
        Flux.interval(SWEEP, SWEEP).concatMap(i -> sweep(), 1).onBackpressureDrop().subscribe();
    running.update(Disposables.composite(trades, first, sweeps));
    started = true;
  }

  @Override
  public synchronized void stop() {
    running.update(Disposables.disposed());
    started = false;
  }

  @Override
  public boolean isRunning() {
    return started;
  }
}
