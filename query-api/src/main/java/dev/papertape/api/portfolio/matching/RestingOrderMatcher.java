package dev.papertape.api.portfolio.matching;

import dev.papertape.api.market.LatestPrices;
import dev.papertape.api.portfolio.PortfolioService;
import dev.papertape.model.Trade;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * papertape_matcher_trades_dropped_total}: an order misses those chances, it is never filled
 * wrongly).
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
  private final Counter dropped;
  private final Counter failed;
  private final Counter filled;
  private final Disposable.Swap running = Disposables.swap();
  private volatile boolean started;

  public RestingOrderMatcher(
      LatestPrices prices, PortfolioService portfolios, DatabaseClient db, MeterRegistry registry) {
    this.prices = prices;
    this.portfolios = portfolios;
    this.db = db;
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

  @Override
  public synchronized void start() {
    Disposable trades =
        prices
            .trades()
            .onBackpressureBuffer(
                BUFFER, t -> dropped.increment(), BufferOverflowStrategy.DROP_OLDEST)
            .concatMap(this::match, 1)
            .subscribe();
    Disposable sweeps =
        Flux.interval(SWEEP, SWEEP).concatMap(i -> sweep(), 1).onBackpressureDrop().subscribe();
    running.update(Disposables.composite(trades, sweeps));
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
