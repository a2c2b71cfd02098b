package dev.papertape.api.portfolio.matching;

import dev.papertape.api.portfolio.PortfolioService;
import dev.papertape.model.Trade;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Offers the open resting orders the stored market trades the live matcher never saw: those of the
 * time the API was stopped (its consumer starts at the end of the topic) and those it dropped when
 * its buffer overflowed. {@link RestingOrderMatcher} runs a pass when it starts and before it goes
 * on after an overflow, and holds live matching until the pass is done, so each order still sees
 * the market in trade-time order.
 *
 * <p>Per symbol with open orders, the pass reads the stored trades in its {@link CatchUpWindow}
 * that some open order takes (placed before the trade, after its last fill's trade, not expired,
 * price reached: {@link CatchUpQueries}), in pages of {@code PAPERTAPE_MATCHER_CATCHUP_PAGE_SIZE},
 * in trade-time order (ts, then trade id), and offers each one to its orders oldest first through
 * the live path ({@link PortfolioService#fillResting}: {@link MatchRules} on the locked order row,
 * a fill at most the trade's size). A trade that changed an order (a fill, a stop's trigger, a
 * cancel) ends the page: the next page is read with the orders' new state, so a stop triggered by a
 * stored trade fills on the stored trades after it. At most {@code
 * PAPERTAPE_MATCHER_CATCHUP_MAX_TRADES} trades are offered per pass (the rest is logged and
 * counted).
 *
 * <p>A pass is idempotent and safe with several API instances: a trade that already filled an order
 * (a second pass, another instance's pass or live matcher) does nothing ({@code
 * PortfolioService.fillResting} checks it on the locked row; the UNIQUE (order_id, market_trade_ts,
 * market_trade_id) of {@code paper_trades} is the last line).
 */
@Component
public class RestingOrderCatchUp {
  private static final Logger log = LoggerFactory.getLogger(RestingOrderCatchUp.class);

  private final CatchUpQueries queries;
  private final PortfolioService portfolios;
  private final CatchUpProperties props;
  private final Clock clock;
  private final MeterRegistry registry;
  private final Counter offered;
  private final Counter fills;
  private final Counter matcherFills;
  private final Counter truncated;
  private final Counter failed;
  private final Counter passFailures;

  public RestingOrderCatchUp(
      CatchUpQueries queries,
      PortfolioService portfolios,
      CatchUpProperties props,
      Clock clock,
      MeterRegistry registry) {
    this.queries = queries;
    this.portfolios = portfolios;
    this.props = props;
    this.clock = clock;
    this.registry = registry;
    this.offered =
        Counter.builder("papertape.matcher.catchup.trades")
            .description("Stored trades the catch-up offered to resting orders")
            .register(registry);
    this.fills =
        Counter.builder("papertape.matcher.catchup.fills")
            .description("Resting-order fills made by the catch-up on stored trades")
            .register(registry);
    this.matcherFills =
        Counter.builder("papertape.matcher.fills")
            .description("Resting-order fills made by this instance")
            .register(registry);
    this.truncated =
        Counter.builder("papertape.matcher.catchup.truncated")
            .description(
                "Catch-up passes that stopped at PAPERTAPE_MATCHER_CATCHUP_MAX_TRADES: later stored"
                    + " trades were not offered")
            .register(registry);
    this.failed =
        Counter.builder("papertape.matcher.failures")
            .description("Resting-order matches that failed (the order keeps resting)")
            .register(registry);
    this.passFailures =
        Counter.builder("papertape.matcher.catchup.failures")
            .description("Catch-up passes that failed (retried before the next live trade)")
            .register(registry);
  }

  /** Why a pass runs: the matcher started, or it dropped trades. */
  public enum Reason {
    START,
    DROPPED
  }

  /**
   * What a pass did.
   *
   * @param orders open resting orders checked (in the symbols the pass looked at)
   * @param offered stored trades offered to them
   * @param fills fills made (0 when another instance had already made them)
   * @param truncated whether it stopped at the per-pass limit
   */
  public record Summary(
      Reason reason, int symbols, long orders, long offered, long fills, boolean truncated) {}

  /**
   * One pass over every symbol with open resting orders.
   *
   * @param since the oldest trade to offer, or null: everything within the look-back
   * @param live where live matching of a symbol takes over (its window's exclusive end), or null
   *     for the start of the pass
   * @return the summary; errors (the database unreachable) are the caller's to log and retry
   */
  public Mono<Summary> pass(
      Reason reason, Instant since, Function<String, CatchUpWindow.Key> live) {
    if (!props.enabled()) {
      return Mono.just(new Summary(reason, 0, 0, 0, 0, false));
    }
    return Mono.defer(
        () -> {
          Instant start = clock.instant();
          long t0 = System.nanoTime();
          Totals totals = new Totals();
          return queries
              .openSymbols()
              .collectList()
              .flatMap(
                  symbols ->
                      Flux.fromIterable(symbols)
                          .concatMap(
                              s -> {
                                totals.orders.addAndGet(s.orders());
                                CatchUpWindow w =
                                    CatchUpWindow.of(
                                        start,
                                        props.maxAge(),
                                        since,
                                        s.oldest(),
                                        live.apply(s.symbol()));
                                return w.isEmpty()
                                    ? Mono.empty()
                                    : symbol(s.symbol(), w, start, totals);
                              },
                              1)
                          .then(
                              Mono.fromSupplier(
                                  () ->
                                      new Summary(
                                          reason,
                                          symbols.size(),
                                          totals.orders.get(),
                                          totals.offered.get(),
                                          totals.fills.get(),
                                          totals.truncated))))
              .doOnNext(
                  s -> {
                    Counter.builder("papertape.matcher.catchup.passes")
                        .description("Catch-up passes done, by reason (start, dropped)")
                        .tag("reason", s.reason().name().toLowerCase(Locale.ROOT))
                        .register(registry)
                        .increment();
                    if (s.truncated()) {
                      truncated.increment();
                    }
                    logged(s, Duration.ofNanos(System.nanoTime() - t0));
                  })
              .doOnError(e -> passFailures.increment());
        });
  }

  /** Mutable per-pass totals; a pass is sequential (one symbol, one page, one trade at a time). */
  private static final class Totals {
    final AtomicLong orders = new AtomicLong();
    final AtomicLong offered = new AtomicLong();
    final AtomicLong fills = new AtomicLong();
    volatile boolean truncated;
  }

  /** The pages of one symbol: each read after the last trade offered, with the orders' state. */
  private Mono<Void> symbol(String symbol, CatchUpWindow w, Instant now, Totals totals) {
    long left = props.maxTrades() - totals.offered.get();
    if (left <= 0) {
      // the budget is spent: truncated if a trade is left that would have been offered
      return queries
          .page(symbol, w, now, 1)
          .hasElements()
          .doOnNext(
              more -> {
                if (more) {
                  totals.truncated = true;
                }
              })
          .then();
    }
    int limit = (int) Math.min(props.pageSize(), left);
    return queries
        .page(symbol, w, now, limit)
        .collectList()
        .flatMap(
            page -> {
              if (page.isEmpty()) {
                return Mono.<Void>empty();
              }
              return Flux.fromIterable(page)
                  .concatMap(
                      st -> {
                        totals.offered.incrementAndGet();
                        return offer(st.trade(), now, totals).map(changed -> new Step(st, changed));
                      },
                      1)
                  .takeUntil(Step::changed)
                  .collectList()
                  .flatMap(
                      steps -> {
                        Step last = steps.get(steps.size() - 1);
                        boolean more = last.changed() || page.size() == limit;
                        return more
                            ? symbol(
                                symbol,
                                new CatchUpWindow(last.stored().key(), w.until()),
                                now,
                                totals)
                            : Mono.<Void>empty();
                      });
            })
        .then();
  }

  private record Step(CatchUpQueries.Stored stored, boolean changed) {}

  /**
   * Offers one stored trade to the orders it acts on; true when it changed one. A failure on one
   * order is logged and counted, the order keeps resting.
   */
  private Mono<Boolean> offer(Trade t, Instant now, Totals totals) {
    offered.increment();
    return queries
        .candidates(t, now)
        .concatMap(
            c ->
                portfolios
                    .fillResting(c.portfolioId(), c.id(), t)
                    .doOnNext(
                        r -> {
                          if (r.filled() > 0) {
                            fills.increment();
                            matcherFills.increment();
                            totals.fills.incrementAndGet();
                          }
                        })
                    .onErrorResume(
                        e -> {
                          failed.increment();
                          log.atWarn()
                              .addKeyValue("order", c.id())
                              .addKeyValue("symbol", t.symbol())
                              .addKeyValue("trade", t.tradeId())
                              .addKeyValue("error", e.toString())
                              .log("Catch-up match failed; the order keeps resting");
                          return Mono.empty();
                        }),
            1)
        .collectList()
        .map(List::size)
        .map(n -> n > 0);
  }

  private void logged(Summary s, Duration took) {
    (s.truncated() ? log.atWarn() : log.atInfo())
        .addKeyValue("reason", s.reason())
        .addKeyValue("symbols", s.symbols())
        .addKeyValue("ordersChecked", s.orders())
        .addKeyValue("tradesOffered", s.offered())
        .addKeyValue("fills", s.fills())
        .addKeyValue("truncated", s.truncated())
        .addKeyValue("maxTrades", props.maxTrades())
        .addKeyValue("tookMs", took.toMillis())
        .log(
            s.truncated()
                ? "Resting-order catch-up stopped at its limit; later stored trades not offered"
                : "Resting-order catch-up done");
  }
}
