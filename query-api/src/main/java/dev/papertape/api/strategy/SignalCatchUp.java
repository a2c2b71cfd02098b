package dev.papertape.api.strategy;

import dev.papertape.api.config.BackgroundWork;
import dev.papertape.model.Signal;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Auto-executes the SIGNALs the live path missed: those the signals job stored while no API
 * instance was consuming {@code price-alerts} (every instance down or restarting, a consumer that
 * fell behind). Every {@code PAPERTAPE_AUTO_EXECUTE_CATCH_UP_INTERVAL} it reads, from the {@code
 * signals} table, the SIGNALs of active auto-executed instances that are younger than {@code
 * PAPERTAPE_AUTO_EXECUTE_MAX_SIGNAL_AGE}, were stored at least {@link #LIVE_GRACE} ago (the live
 * path's turn first) and have no {@code signal_orders} row, and hands them, oldest first, to the
 * same {@link AutoExecutor#execute} as the live path: one order per signal however many instances
 * and passes see it. A missed signal therefore trades at the latest price when the pass runs, never
 * later than the maximum signal age. Never fails: a failed pass is logged and the next one retries.
 */
@Component
class SignalCatchUp extends BackgroundWork {
  private static final Logger log = LoggerFactory.getLogger(SignalCatchUp.class);

  /** A signal stored less than this long ago is left to the live path. */
  static final Duration LIVE_GRACE = Duration.ofSeconds(5);

  private static final int BATCH = 1_000;

  private final AutoExecutor executor;
  private final DatabaseClient db;
  private final StrategyProperties props;
  private final Clock clock;

  SignalCatchUp(AutoExecutor executor, DatabaseClient db, StrategyProperties props, Clock clock) {
    this.executor = executor;
    this.db = db;
    this.props = props;
    this.clock = clock;
  }

  /**
   * One pass over the signals stored before {@code storedBefore}.
   *
   * @return how many of them were traded now
   */
  Mono<Long> pass(Instant storedBefore) {
    Instant now = clock.instant();
    return missed(now.minus(props.maxSignalAge()), storedBefore)
        .concatMap(executor::execute)
        .filter(o -> o == AutoExecutor.Outcome.FILLED)
        .count()
        .doOnNext(
            n -> {
              if (n > 0) {
                log.atInfo()
                    .addKeyValue("filled", n)
                    .log("Missed signals auto-executed by the catch-up pass");
              }
            });
  }

  private Flux<Signal> missed(Instant youngerThan, Instant storedBefore) {
    return db.sql(
            "SELECT s.id, s.symbol, s.source, s.side, s.price, s.reason, s.ts FROM signals s"
                + " JOIN strategies st ON st.id = s.source"
                + " WHERE s.kind = 'SIGNAL' AND st.active AND st.auto_execute"
                + " AND s.ts > $1 AND s.stored_at < $2"
                + " AND NOT EXISTS (SELECT 1 FROM signal_orders o WHERE o.signal_id = s.id)"
                + " ORDER BY s.ts, s.id LIMIT "
                + BATCH)
        .bind(0, youngerThan)
        .bind(1, storedBefore)
        .map(
            row ->
                new Signal(
                    row.get("id", String.class),
                    Signal.Kind.SIGNAL,
                    row.get("symbol", String.class),
                    row.get("source", String.class),
                    Signal.Side.parse("side", row.get("side", String.class)),
                    row.get("price", BigDecimal.class),
                    row.get("reason", String.class),
                    row.get("ts", OffsetDateTime.class).toInstant()))
        .all();
  }

  private Mono<Long> tick() {
    return pass(clock.instant().minus(LIVE_GRACE))
        .onErrorResume(
            e -> {
              log.atWarn()
                  .addKeyValue("error", e.toString())
                  .log("Signal catch-up pass failed; retried at the next interval");
              return Mono.empty();
            });
  }

  @Override
  protected Disposable subscribe() {
    Duration interval = props.catchUpInterval();
    return props.autoExecute() && !interval.isZero() ? every(interval, interval, this::tick) : null;
  }
}
