package dev.papertape.api.strategy;

import dev.papertape.api.config.BackgroundWork;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Keeps the compacted control topic equal to the database. Shortly after start ({@code
 * republishDelay}, so the first requests do not queue behind it for a connection) it publishes
 * every active strategy instance and alert rule (and every pending change), so a topic that lost
 * records, or was recreated, matches the tables again; then, every {@code republishInterval}, the
 * changes still pending (Kafka was away when they were made). Each row is published under its row
 * lock, like a request's change, so a republish never overtakes a newer change. Until a full pass
 * succeeded the next tick runs a full pass again. Never fails: a failed pass is logged and the next
 * tick retries.
 */
@Component
class ControlRepublisher extends BackgroundWork {
  private static final Logger log = LoggerFactory.getLogger(ControlRepublisher.class);

  private final StrategyService service;
  private final StrategyRepository repo;
  private final ControlPublisher publisher;
  private final Duration interval;
  private final Duration delay;
  private final AtomicBoolean fullDone = new AtomicBoolean();

  ControlRepublisher(
      StrategyService service,
      StrategyRepository repo,
      ControlPublisher publisher,
      StrategyProperties props) {
    this.service = service;
    this.repo = repo;
    this.publisher = publisher;
    this.interval = props.republishInterval();
    this.delay = props.republishDelay();
  }

  /**
   * One pass: every pending row, and with {@code full} every active one.
   *
   * @return how many rows Kafka did not take (still pending)
   */
  Mono<Long> pass(boolean full) {
    Flux<Boolean> strategies = repo.strategiesToPublish(full).concatMap(service::republishStrategy);
    Flux<Boolean> rules = repo.rulesToPublish(full).concatMap(service::republishRule);
    return Flux.concat(strategies, rules)
        .reduce(
            new long[2],
            (acc, ok) -> {
              acc[ok ? 0 : 1]++;
              return acc;
            })
        .doOnNext(
            n -> {
              if (n[0] + n[1] > 0 || full) {
                log.atInfo()
                    .addKeyValue("full", full)
                    .addKeyValue("published", n[0])
                    .addKeyValue("pending", n[1])
                    .log("Control events republished");
              }
            })
        .map(n -> n[1]);
  }

  private Mono<Long> tick() {
    boolean full = !fullDone.get();
    return Mono.fromRunnable(publisher::ensureTopic)
        .subscribeOn(Schedulers.boundedElastic())
        .then(pass(full))
        .doOnNext(
            pending -> {
              if (full && pending == 0) {
                fullDone.set(true);
              }
            })
        .onErrorResume(
            e -> {
              log.atWarn()
                  .addKeyValue("full", full)
                  .addKeyValue("error", e.toString())
                  .log("Control republish failed; retried at the next interval");
              return Mono.empty();
            });
  }

  @Override
  protected Disposable subscribe() {
    return every(delay, interval, this::tick);
  }
}
