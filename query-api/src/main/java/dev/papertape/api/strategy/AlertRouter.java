package dev.papertape.api.strategy;

import dev.papertape.api.config.BackgroundWork;
import dev.papertape.api.portfolio.PortfolioService;
import dev.papertape.api.portfolio.matching.PortfolioEvents;
import dev.papertape.api.stream.StreamHub;
import dev.papertape.model.Signal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Sends each ALERT of the live signals to its rule's owner: as an {@code alert} event on the
 * owner's {@code /stream/portfolio} and {@code /ws/portfolio} (which need a portfolio). Signals are
 * public market data ({@code /stream/signals} carries every SIGNAL and ALERT); a rule and its
 * alerts belong to one user, so the owner's own channel is where they are delivered to that user.
 * Every API instance reads {@code price-alerts} and delivers to its own subscribers ({@link
 * PortfolioEvents#deliver}, not relayed), so each subscriber gets an alert once. Live, at most once
 * (like the other portfolio events); the stored {@code signals} rows are the record. Never fails.
 */
@Component
class AlertRouter extends BackgroundWork {
  private static final Logger log = LoggerFactory.getLogger(AlertRouter.class);

  private final StreamHub hub;
  private final StrategyRepository repo;
  private final PortfolioService portfolios;
  private final PortfolioEvents events;
  private final Counter delivered;
  private final Counter failed;

  AlertRouter(
      StreamHub hub,
      StrategyRepository repo,
      PortfolioService portfolios,
      PortfolioEvents events,
      MeterRegistry registry) {
    this.hub = hub;
    this.repo = repo;
    this.portfolios = portfolios;
    this.events = events;
    this.delivered =
        Counter.builder("papertape.alerts.delivered")
            .description("ALERTs passed to their owner's portfolio stream on this instance")
            .register(registry);
    this.failed =
        Counter.builder("papertape.alerts.failures")
            .description("ALERTs whose owner could not be looked up (not delivered)")
            .register(registry);
  }

  /** Delivers one ALERT to its owner's subscribers on this instance; never fails. */
  Mono<Void> route(Signal s) {
    if (s.kind() != Signal.Kind.ALERT) {
      return Mono.empty();
    }
    return repo.ruleById(s.source())
        .flatMap(r -> portfolios.portfolioIdOf(r.userId()).onErrorResume(e -> Mono.empty()))
        .doOnNext(
            pid -> {
              events.deliver(
                  new PortfolioEvents.Event(
                      pid,
                      PortfolioEvents.Kind.ALERT,
                      StrategyViews.Signal.of(
                          new StrategyRepository.SignalRow(
                              s.id(),
                              s.kind().name(),
                              s.symbol(),
                              s.source(),
                              s.side() == null ? null : s.side().name(),
                              s.price(),
                              s.reason(),
                              s.ts()))));
              delivered.increment();
            })
        .then()
        .onErrorResume(
            e -> {
              failed.increment();
              log.atWarn()
                  .addKeyValue("rule", s.source())
                  .addKeyValue("signal", s.id())
                  .addKeyValue("error", e.toString())
                  .log("Alert not delivered to its owner's stream");
              return Mono.empty();
            });
  }

  @Override
  protected Disposable subscribe() {
    return LiveSignals.of(hub).concatMap(this::route).subscribe();
  }
}
