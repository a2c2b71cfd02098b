package dev.papertape.api.portfolio.valuation;

import dev.papertape.api.config.BackgroundWork;
import dev.papertape.api.config.ClockProperties;
import dev.papertape.api.problem.Problems;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Values every portfolio once per {@code PAPERTAPE_SNAPSHOT_INTERVAL} into {@code
 * portfolio_snapshots}: one statement for all portfolios ({@link Valuations#WRITE}), with {@code
 * ts} = the start of the interval (now floored to a multiple of the interval since the Unix epoch)
 * and {@code ON CONFLICT (portfolio_id, ts) DO NOTHING}, so several API instances write each
 * interval once, and a restart within an interval does not write it twice.
 *
 * <p>Runs at start and then at each interval boundary, on a Reactor timer (the database work is
 * R2DBC, never blocking a thread). A failed run (the database down, a timeout of one interval) is
 * logged once and the next boundary tries again: nothing ends the schedule but {@link #stop()}. A
 * held symbol with no price at all is valued at average cost and named in a warning, at most once
 * per {@link #UNPRICED_LOG_EVERY} unless the set of such symbols changes.
 */
@Component
public class SnapshotWriter extends BackgroundWork {
  private static final Logger log = LoggerFactory.getLogger(SnapshotWriter.class);
  static final Duration UNPRICED_LOG_EVERY = Duration.ofMinutes(15);

  private final Valuations valuations;
  private final Clock clock;
  private final ClockProperties time;
  private final SnapshotProperties props;
  private volatile List<String> lastUnpriced = List.of();
  private volatile Instant lastUnpricedLog = Instant.MIN;
  private final Counter written;
  private final Counter succeeded;
  private final Counter failed;

  SnapshotWriter(
      Valuations valuations,
      Clock clock,
      ClockProperties time,
      SnapshotProperties props,
      MeterRegistry registry) {
    this.valuations = valuations;
    this.clock = clock;
    this.time = time;
    this.props = props;
    this.written =
        Counter.builder("papertape.portfolio.snapshots.written")
            .description("Portfolio snapshot rows this instance wrote")
            .register(registry);
    this.succeeded = runs(registry, "ok");
    this.failed = runs(registry, "failed");
  }

  private static Counter runs(MeterRegistry registry, String outcome) {
    return Counter.builder("papertape.portfolio.snapshots.runs")
        .description("Snapshot runs of this instance, by outcome (failed: logged, retried next)")
        .tag("outcome", outcome)
        .register(registry);
  }

  /** The start of the interval {@code now} is in: {@code now} floored to a multiple of it. */
  static Instant intervalStart(Instant now, Duration interval) {
    long ms = interval.toMillis();
    return Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), ms) * ms);
  }

  /** How long from {@code now} until the next interval starts (never zero). */
  static Duration untilNext(Instant now, Duration interval) {
    return Duration.between(now, intervalStart(now, interval).plus(interval));
  }

  /** Writes the snapshots of the current interval; fails as the database does. */
  Mono<Valuations.Written> writeNow() {
    Instant now = clock.instant();
    return valuations.write(intervalStart(now, props.interval()), time.horizon(clock));
  }

  /** One run: the write, bounded by one interval, every failure logged and absorbed. */
  Mono<Void> runOnce() {
    return Mono.defer(this::writeNow)
        .timeout(props.interval(), Schedulers.parallel())
        .doOnNext(this::logged)
        .onErrorResume(
            e -> {
              failed.increment();
              log.atWarn()
                  .addKeyValue("interval", props.interval())
                  .addKeyValue("databaseUnavailable", Problems.databaseUnavailable(e))
                  .addKeyValue("error", e.toString())
                  .log("Portfolio snapshots not written this interval; retrying at the next");
              return Mono.empty();
            })
        .then();
  }

  private void logged(Valuations.Written w) {
    succeeded.increment();
    written.increment(w.written());
    log.atDebug()
        .addKeyValue("ts", w.ts())
        .addKeyValue("portfolios", w.portfolios())
        .addKeyValue("written", w.written())
        .log("Portfolio snapshots");
    if (w.unpriced().isEmpty()) {
      lastUnpriced = List.of();
      return;
    }
    Instant now = clock.instant();
    if (!w.unpriced().equals(lastUnpriced)
        || !now.isBefore(lastUnpricedLog.plus(UNPRICED_LOG_EVERY))) {
      lastUnpriced = w.unpriced();
      lastUnpricedLog = now;
      log.atWarn()
          .addKeyValue("symbols", w.unpriced())
          .log("Held symbols have no price yet; valued at average cost in the snapshots");
    }
  }

  @Override
  protected Disposable subscribe() {
    if (!props.enabled()) {
      log.atInfo().log("Portfolio snapshots off (PAPERTAPE_SNAPSHOT_INTERVAL=0)");
      return null;
    }
    Mono<Void> next =
        Mono.defer(
                () ->
                    Mono.delay(untilNext(clock.instant(), props.interval()), Schedulers.parallel()))
            .then(Mono.defer(this::runOnce));
    log.atInfo().addKeyValue("interval", props.interval()).log("Portfolio snapshots on");
    return runOnce().then(next.repeat().then()).subscribeOn(Schedulers.parallel()).subscribe();
  }
}
