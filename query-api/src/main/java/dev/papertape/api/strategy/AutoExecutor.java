package dev.papertape.api.strategy;

import dev.papertape.api.config.BackgroundWork;
import dev.papertape.api.portfolio.AutoOrders;
import dev.papertape.api.problem.Problems;
import dev.papertape.api.stream.StreamHub;
import dev.papertape.ledger.Side;
import dev.papertape.model.Signal;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Trades the SIGNALs of auto-executed strategy instances: for each live SIGNAL whose {@code source}
 * is an active instance with {@code autoExecute}, a MARKET order for the instance's owner, sized by
 * its {@link dev.papertape.strategy.Sizing} ({@link AutoSizing}), placed through the same ledger
 * path as {@code POST /portfolio/trade} with the Idempotency-Key {@code signal-<signal id>}.
 *
 * <p>Exactly once per signal: a signal that already has a {@code signal_orders} row (a replay) is
 * skipped; two API instances acting on one signal at once place one order (the Idempotency-Key is
 * unique per portfolio, and the loser finds the winner's order). A refused order (stale price,
 * insufficient cash, …) is recorded with its reason, logged and counted, and never retried; a
 * database outage is retried three times (1 s back-off) and then given up, counted as {@code
 * failed}. Signals older than {@code PAPERTAPE_AUTO_EXECUTE_MAX_SIGNAL_AGE} when they arrive are
 * skipped. Metric: {@code papertape_autoexecute_signals_total{outcome}} (filled, refused, skipped,
 * duplicate, failed).
 */
@Component
class AutoExecutor extends BackgroundWork {
  private static final Logger log = LoggerFactory.getLogger(AutoExecutor.class);

  /** What was done with one signal. */
  enum Outcome {
    FILLED,
    REFUSED,
    SKIPPED,
    DUPLICATE,
    FAILED,
    NOT_AUTO;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final StreamHub hub;
  private final StrategyRepository repo;
  private final AutoOrders orders;
  private final DatabaseClient db;
  private final StrategyProperties props;
  private final Clock clock;
  private final MeterRegistry registry;

  AutoExecutor(
      StreamHub hub,
      StrategyRepository repo,
      AutoOrders orders,
      DatabaseClient db,
      StrategyProperties props,
      Clock clock,
      MeterRegistry registry) {
    this.hub = hub;
    this.repo = repo;
    this.orders = orders;
    this.db = db;
    this.props = props;
    this.clock = clock;
    this.registry = registry;
  }

  /** Acts on one signal; never fails. */
  Mono<Outcome> execute(Signal s) {
    if (s.kind() != Signal.Kind.SIGNAL || s.side() == null) {
      return Mono.just(Outcome.NOT_AUTO);
    }
    return repo.activeStrategy(s.source())
        .filter(r -> r.config().autoExecute() && r.config().sizing() != null)
        .flatMap(r -> executeFor(s, r))
        .defaultIfEmpty(Outcome.NOT_AUTO)
        .retryWhen(
            Retry.backoff(3, Duration.ofSeconds(1)).filter(e -> Problems.databaseUnavailable(e)))
        .onErrorResume(
            e -> {
              log.atWarn()
                  .addKeyValue("signal", s.id())
                  .addKeyValue("strategy", s.source())
                  .addKeyValue("error", e.toString())
                  .log("Auto-execution failed; the signal is not traded");
              return Mono.just(Outcome.FAILED);
            })
        .doOnNext(
            o -> {
              if (o != Outcome.NOT_AUTO) {
                registry.counter("papertape.autoexecute.signals", "outcome", o.label()).increment();
              }
            });
  }

  private Mono<Outcome> executeFor(Signal s, StrategyRepository.StrategyRow r) {
    long userId = r.userId();
    String key = "signal-" + s.id();
    Side side = Side.valueOf(s.side().name());
    Duration age = Duration.between(s.ts(), clock.instant());
    return recorded(s.id())
        .flatMap(
            done -> {
              if (done) {
                return Mono.just(Outcome.DUPLICATE);
              }
              if (age.compareTo(props.maxSignalAge()) > 0) {
                return record(
                    s, r, null, Outcome.SKIPPED, null, "signal older than " + props.maxSignalAge());
              }
              return orders
                  .account(userId, s.symbol())
                  .map(Optional::of)
                  .defaultIfEmpty(Optional.empty())
                  .flatMap(
                      acct -> {
                        if (acct.isEmpty()) {
                          return record(s, r, null, Outcome.REFUSED, null, "no portfolio");
                        }
                        return orders
                            .existing(acct.get().portfolioId(), key)
                            .flatMap(
                                p ->
                                    record(s, r, p.orderId(), Outcome.FILLED, p.quantity(), null)
                                        .thenReturn(Outcome.DUPLICATE))
                            .switchIfEmpty(Mono.defer(() -> place(s, r, acct.get(), side, key)));
                      });
            });
  }

  private Mono<Outcome> place(
      Signal s, StrategyRepository.StrategyRow r, AutoOrders.Account acct, Side side, String key) {
    return orders
        .price(s.symbol())
        .flatMap(
            quote -> {
              long qty =
                  AutoSizing.quantity(r.config().sizing(), side, acct, quote.price(), orders);
              if (qty <= 0) {
                return record(
                    s,
                    r,
                    null,
                    Outcome.SKIPPED,
                    null,
                    side == Side.SELL ? "nothing held to sell" : "sizing gives no whole share");
              }
              return orders
                  .market(r.userId(), s.symbol(), side, qty, key)
                  .flatMap(
                      p -> {
                        log.atInfo()
                            .addKeyValue("signal", s.id())
                            .addKeyValue("strategy", s.source())
                            .addKeyValue("user", r.userId())
                            .addKeyValue("order", p.orderId())
                            .addKeyValue("side", side)
                            .addKeyValue("quantity", qty)
                            .addKeyValue("status", p.status())
                            .log("Signal auto-executed");
                        return record(s, r, p.orderId(), Outcome.FILLED, p.quantity(), null)
                            .thenReturn(p.created() ? Outcome.FILLED : Outcome.DUPLICATE);
                      });
            })
        .onErrorResume(ErrorResponseException.class, e -> refused(s, r, acct, key, e));
  }

  /** A 4xx problem of the ledger: recorded and counted, never retried. */
  private Mono<Outcome> refused(
      Signal s,
      StrategyRepository.StrategyRow r,
      AutoOrders.Account acct,
      String key,
      ErrorResponseException e) {
    String type = String.valueOf(e.getBody().getType());
    if (type.endsWith("/idempotency-key-reused")) {
      // another instance placed this signal's order first (sized a moment earlier)
      return orders
          .existing(acct.portfolioId(), key)
          .flatMap(p -> record(s, r, p.orderId(), Outcome.FILLED, p.quantity(), null))
          .thenReturn(Outcome.DUPLICATE);
    }
    if (e.getStatusCode().is5xxServerError()) {
      return Mono.error(e);
    }
    String reason = type.substring(type.lastIndexOf('/') + 1);
    log.atWarn()
        .addKeyValue("signal", s.id())
        .addKeyValue("strategy", s.source())
        .addKeyValue("user", r.userId())
        .addKeyValue("reason", reason)
        .addKeyValue("detail", e.getBody().getDetail())
        .log("Auto-executed order refused; not retried");
    return record(s, r, null, Outcome.REFUSED, null, reason);
  }

  private Mono<Boolean> recorded(String signalId) {
    return db.sql("SELECT 1 AS one FROM signal_orders WHERE signal_id = $1")
        .bind(0, signalId)
        .map(row -> true)
        .one()
        .defaultIfEmpty(false);
  }

  /**
   * Records what a signal did (the first record wins, except that a fill replaces a refusal made by
   * another instance at the same moment).
   */
  private Mono<Outcome> record(
      Signal s,
      StrategyRepository.StrategyRow r,
      UUID order,
      Outcome outcome,
      Long quantity,
      String reason) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "INSERT INTO signal_orders (signal_id, strategy_id, user_id, order_id, outcome,"
                    + " quantity, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                    + " ON CONFLICT (signal_id) DO UPDATE SET order_id = EXCLUDED.order_id,"
                    + " outcome = EXCLUDED.outcome, quantity = EXCLUDED.quantity, reason = NULL"
                    + " WHERE signal_orders.outcome <> 'filled' AND EXCLUDED.outcome = 'filled'")
            .bind(0, s.id())
            .bind(1, r.config().id())
            .bind(2, r.userId())
            .bind(4, outcome.label());
    spec = order == null ? spec.bindNull(3, UUID.class) : spec.bind(3, order);
    spec =
        quantity == null || quantity <= 0 ? spec.bindNull(5, Long.class) : spec.bind(5, quantity);
    spec = reason == null ? spec.bindNull(6, String.class) : spec.bind(6, reason);
    return spec.fetch().rowsUpdated().thenReturn(outcome);
  }

  @Override
  protected Disposable subscribe() {
    return props.autoExecute() ? LiveSignals.of(hub).concatMap(this::execute).subscribe() : null;
  }
}
