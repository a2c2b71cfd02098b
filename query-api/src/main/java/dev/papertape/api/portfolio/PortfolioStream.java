package dev.papertape.api.portfolio;

import dev.papertape.api.market.LatestPrices;
import dev.papertape.api.portfolio.matching.PortfolioEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The live channel of one user's portfolio, shared by {@code /stream/portfolio} (SSE) and {@code
 * /ws/portfolio} (WebSocket): the portfolio's {@code order} and {@code fill} events ({@link
 * PortfolioEvents}: this instance's and, relayed, every other instance's), and {@code valuation}
 * events, the portfolio as {@code GET /portfolio} answers it.
 *
 * <p>A valuation is sent when the subscriber connects, after each of the portfolio's own events
 * (order, fill, reset) and when a trade of a held symbol arrives ({@link LatestPrices#trades()});
 * at most one per {@code PAPERTAPE_PORTFOLIO_VALUATION_INTERVAL} (the first at once, then the
 * newest of each interval), and only when a value changed (a new price time alone is no change).
 * Each subscriber keeps its portfolio's {@link PortfolioService.Holdings} (cash, positions, the
 * day's starting value) and reads them again from the database only after one of its own events (or
 * when the UTC day changes): a price tick is valued from them and the latest prices in memory
 * ({@link PortfolioService#valued}, the math of {@code GET /portfolio}), never with a query.
 */
@Component
public class PortfolioStream {
  private static final Logger log = LoggerFactory.getLogger(PortfolioStream.class);

  /** One message of the channel: {@code event} is order, fill or valuation. */
  public record Item(String event, Object data) {}

  static final String VALUATION = "valuation";

  private final PortfolioService portfolios;
  private final PortfolioEvents events;
  private final LatestPrices prices;
  private final Duration interval;

  PortfolioStream(
      PortfolioService portfolios,
      PortfolioEvents events,
      LatestPrices prices,
      PortfolioStreamProperties props) {
    this.portfolios = portfolios;
    this.events = events;
    this.prices = prices;
    this.interval = props.valuationInterval();
  }

  /**
   * The user's channel, once the user's portfolio is found (a 404 no-portfolio problem before
   * {@code POST /portfolio/init}); live from the moment of subscribing, no replay.
   */
  public Mono<Flux<Item>> open(long userId) {
    return portfolios.portfolioIdOf(userId).map(id -> channel(userId, id));
  }

  private Flux<Item> channel(long userId, long portfolioId) {
    return events
        .of(portfolioId)
        .publish(
            own ->
                Flux.merge(
                    own.filter(e -> e.kind() != PortfolioEvents.Kind.RESET)
                        .map(e -> new Item(e.kind().label(), e.data())),
                    valuations(userId, own).map(v -> new Item(VALUATION, v))));
  }

  /** What one subscriber keeps between valuations. */
  private final class Subscriber {
    final long userId;
    final AtomicBoolean reload = new AtomicBoolean(true);
    volatile PortfolioService.Holdings holdings;
    volatile Set<String> held = Set.of();

    Subscriber(long userId) {
      this.userId = userId;
    }

    /** The valuation now: from the kept holdings, or read again when they are out of date. */
    Mono<Views.Portfolio> value() {
      PortfolioService.Holdings h = holdings;
      if (reload.getAndSet(false) || h == null || !h.day().equals(portfolios.today())) {
        return portfolios
            .holdingsOf(userId)
            .doOnNext(
                fresh -> {
                  holdings = fresh;
                  held = fresh.symbols();
                })
            .map(portfolios::valued)
            .onErrorResume(
                e -> {
                  reload.set(true);
                  log.atWarn()
                      .addKeyValue("user", userId)
                      .addKeyValue("error", e.toString())
                      .log(
                          "Portfolio valuation for the live stream failed; retried on the next event");
                  return Mono.empty();
                });
      }
      return Mono.just(portfolios.valued(h));
    }
  }

  private Flux<Views.Portfolio> valuations(long userId, Flux<PortfolioEvents.Event> own) {
    Subscriber s = new Subscriber(userId);
    Flux<Boolean> triggers =
        Flux.merge(
            Flux.just(true),
            own.filter(e -> e.kind() != PortfolioEvents.Kind.ALERT)
                .doOnNext(e -> s.reload.set(true))
                .map(e -> true),
            prices.trades().filter(t -> s.held.contains(t.symbol())).map(t -> true));
    return throttled(
        triggers.onBackpressureLatest().flatMap(t -> s.value(), 1),
        interval,
        Schedulers.parallel());
  }

  /**
   * The values of {@code source} that changed ({@link #changes}), at most one per {@code interval}:
   * the first at once, then the newest of each interval (older ones of an interval are dropped).
   */
  static Flux<Views.Portfolio> throttled(
      Flux<Views.Portfolio> source, Duration interval, Scheduler timer) {
    return Flux.defer(
        () -> {
          AtomicReference<List<Object>> sent = new AtomicReference<>();
          return source
              .onBackpressureLatest()
              .flatMap(
                  v -> {
                    List<Object> key = changes(v);
                    if (key.equals(sent.get())) {
                      return Mono.<Views.Portfolio>empty(); // no change: no event, no wait
                    }
                    sent.set(key);
                    return Mono.just(v).concatWith(Mono.delay(interval, timer).then(Mono.empty()));
                  },
                  1);
        });
  }

  /** What makes two valuations different: every value, not the times of the prices. */
  static List<Object> changes(Views.Portfolio v) {
    List<Object> key =
        new ArrayList<>(
            Arrays.asList(
                v.id(),
                v.epoch(),
                v.cash(),
                v.positionsValue(),
                v.totalValue(),
                v.realisedPnl(),
                v.unrealisedPnl(),
                v.commissions(),
                v.changeToday()));
    for (Views.Position p : v.positions()) {
      key.addAll(
          Arrays.asList(
              p.symbol(),
              p.quantity(),
              p.avgCost(),
              p.lastPrice(),
              p.marketValue(),
              p.unrealisedPnl()));
    }
    return key;
  }
}
