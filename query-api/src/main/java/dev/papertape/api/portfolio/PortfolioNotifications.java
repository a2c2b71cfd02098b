package dev.papertape.api.portfolio;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.papertape.api.portfolio.matching.PortfolioEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.postgresql.api.Notification;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.api.PostgresqlResult;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Relays portfolio events between API instances through PostgreSQL {@code LISTEN/NOTIFY} on channel
 * {@value #CHANNEL}, so a client connected to one instance sees the orders placed through, and the
 * fills made by, every other instance on the same database.
 *
 * <p>Out: the events this instance publishes ({@link PortfolioEvents#outbound()}, after their
 * transaction committed) are collected for up to {@link #WINDOW} (at most {@value #BATCH} events),
 * packed into payloads of at most {@value NotifyPayloads#MAX_BYTES} bytes ({@link NotifyPayloads})
 * and sent by one {@code pg_notify} statement on a pooled connection, off the request's path: the
 * request only queues the event (a queue of {@value #QUEUE}; when it is full the oldest are dropped
 * and counted). A failed send is logged and counted, never retried, and never touches the order.
 *
 * <p>In: one dedicated connection (not from the pool) runs {@code LISTEN}; each payload of another
 * instance (its {@link #instance} id differs) is decoded and delivered to this instance's
 * subscribers ({@link PortfolioEvents#deliver}); this instance's own payloads are skipped, as its
 * subscribers had those events directly. When that connection is lost (a database restart) it is
 * logged, counted in {@code papertape_portfolio_events_listen_lost_total}, {@code
 * papertape_portfolio_events_listening} drops to 0, and it is opened again with back-off (0.5 s
 * doubling to 30 s); events of other instances sent meanwhile are not seen: live events are at most
 * once, with no replay.
 */
@Component
class PortfolioNotifications implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(PortfolioNotifications.class);

  static final String CHANNEL = "papertape_portfolio";
  static final Duration WINDOW = Duration.ofMillis(5);
  static final int BATCH = 256;
  static final int QUEUE = 10_000;
  static final Duration BACKOFF = Duration.ofMillis(500);
  static final Duration BACKOFF_MAX = Duration.ofSeconds(30);

  /** One payload on the wire. */
  record Wire(String instance, long seq, List<WireEvent> events) {}

  /** One event on the wire: exactly one of order, fill and portfolio, as its kind says. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record WireEvent(
      long portfolioId,
      PortfolioEvents.Kind kind,
      Views.Order order,
      Views.Fill fill,
      Views.Portfolio portfolio) {

    static WireEvent of(PortfolioEvents.Event e) {
      return new WireEvent(
          e.portfolioId(),
          e.kind(),
          e.data() instanceof Views.Order o ? o : null,
          e.data() instanceof Views.Fill f ? f : null,
          e.data() instanceof Views.Portfolio p ? p : null);
    }

    /** The event, or null when its data does not match its kind. */
    PortfolioEvents.Event event() {
      Object data =
          switch (kind) {
            case ORDER -> order;
            case FILL -> fill;
            case RESET -> portfolio;
            case ALERT -> null; // never relayed: every instance reads price-alerts itself
          };
      return data == null ? null : new PortfolioEvents.Event(portfolioId, kind, data);
    }
  }

  private final PortfolioEvents events;
  private final DatabaseClient db;
  private final ConnectionFactory connections;
  private final JsonMapper json;
  private final String instance = UUID.randomUUID().toString();
  private final AtomicLong seq = new AtomicLong();
  private final AtomicInteger listening = new AtomicInteger();
  private final Counter lost;
  private final Counter sendFailures;
  private final Counter dropped;
  private final Counter received;
  private final Counter malformed;
  private final Disposable.Swap running = Disposables.swap();
  private volatile boolean started;

  PortfolioNotifications(
      PortfolioEvents events,
      DatabaseClient db,
      ConnectionFactory connections,
      JsonMapper json,
      MeterRegistry registry) {
    this.events = events;
    this.db = db;
    this.connections =
        connections instanceof Wrapped<?> w && w.unwrap() instanceof ConnectionFactory driver
            ? driver
            : connections;
    this.json = json;
    Gauge.builder("papertape.portfolio.events.listening", listening, AtomicInteger::get)
        .description("1 while this instance listens for the other instances' portfolio events")
        .register(registry);
    this.lost =
        Counter.builder("papertape.portfolio.events.listen.lost")
            .description("Notification connections lost or failed to open (reopened with back-off)")
            .register(registry);
    this.sendFailures =
        Counter.builder("papertape.portfolio.events.notify.failures")
            .description("Batches of portfolio events not sent to the other instances")
            .register(registry);
    this.dropped =
        Counter.builder("papertape.portfolio.events.notify.dropped")
            .description("Portfolio events not sent: the queue was full, or the event too large")
            .register(registry);
    this.received =
        Counter.builder("papertape.portfolio.events.received")
            .description("Portfolio events received from the other instances")
            .register(registry);
    this.malformed =
        Counter.builder("papertape.portfolio.events.malformed")
            .description("Notification payloads that could not be read (skipped)")
            .register(registry);
  }

  /** This instance's id on the wire. */
  String instance() {
    return instance;
  }

  // ---- out

  /** Sends one batch; never fails. */
  Mono<Void> send(List<PortfolioEvents.Event> batch) {
    List<String> encoded = new ArrayList<>(batch.size());
    for (PortfolioEvents.Event e : batch) {
      try {
        encoded.add(json.writeValueAsString(WireEvent.of(e)));
      } catch (RuntimeException ex) {
        dropped.increment();
        log.atWarn()
            .addKeyValue("portfolio", e.portfolioId())
            .addKeyValue("error", ex.toString())
            .log("Portfolio event not encoded for the other instances");
      }
    }
    List<String> payloads =
        NotifyPayloads.pack(
            instance,
            seq.get(),
            encoded,
            NotifyPayloads.MAX_BYTES,
            e -> {
              dropped.increment();
              log.atWarn()
                  .addKeyValue("bytes", e.length())
                  .log("Portfolio event too large for a notification; not sent");
            });
    if (payloads.isEmpty()) {
      return Mono.empty();
    }
    seq.addAndGet(payloads.size());
    return db.sql(
            "SELECT pg_notify($1, p) FROM unnest($2::text[]) WITH ORDINALITY AS n(p, i)"
                + " ORDER BY i")
        .bind(0, CHANNEL)
        .bind(1, payloads.toArray(String[]::new))
        .then()
        .onErrorResume(
            e -> {
              sendFailures.increment();
              log.atWarn()
                  .addKeyValue("events", batch.size())
                  .addKeyValue("error", e.toString())
                  .log("Portfolio events not sent to the other instances");
              return Mono.empty();
            });
  }

  // ---- in

  /** Reads one payload and delivers the other instances' events; never fails. */
  void receive(String payload) {
    Wire w;
    try {
      w = json.readValue(payload, Wire.class);
    } catch (RuntimeException e) {
      malformed.increment();
      log.atWarn().addKeyValue("error", e.toString()).log("Unreadable portfolio notification");
      return;
    }
    if (w == null || instance.equals(w.instance()) || w.events() == null) {
      return;
    }
    for (WireEvent we : w.events()) {
      PortfolioEvents.Event e = we == null || we.kind() == null ? null : we.event();
      if (e == null) {
        malformed.increment();
        continue;
      }
      received.increment();
      events.deliver(e);
    }
  }

  /** One LISTEN connection's notifications (a marker first, once it listens); ends in an error. */
  private Flux<Object> listenOnce() {
    return Flux.usingWhen(
            Mono.from(connections.create()).cast(PostgresqlConnection.class),
            c ->
                Flux.<Object>merge(
                        c.getNotifications(),
                        c.createStatement("LISTEN " + CHANNEL)
                            .execute()
                            .flatMap(PostgresqlResult::getRowsUpdated)
                            .then(Mono.fromCallable(this::listening)))
                    .concatWith(
                        Mono.error(
                            () -> new IllegalStateException("notification connection closed"))),
            PostgresqlConnection::close)
        .doOnError(this::lost);
  }

  private Object listening() {
    listening.set(1);
    log.atInfo().addKeyValue("channel", CHANNEL).log("Listening for portfolio events");
    return Boolean.TRUE;
  }

  private void lost(Throwable e) {
    boolean was = listening.getAndSet(0) == 1;
    lost.increment();
    log.atWarn()
        .addKeyValue("channel", CHANNEL)
        .addKeyValue("wasListening", was)
        .addKeyValue("error", e.toString())
        .log(
            "Portfolio notification connection lost; other instances' events are not seen until"
                + " it is back (retrying with back-off)");
  }

  @Override
  public synchronized void start() {
    Disposable out =
        events
            .outbound()
            .onBackpressureBuffer(
                QUEUE, e -> dropped.increment(), BufferOverflowStrategy.DROP_OLDEST)
            .bufferTimeout(BATCH, WINDOW, true)
            .concatMap(this::send, 1)
            .subscribe();
    Disposable in =
        Flux.defer(this::listenOnce)
            .retryWhen(
                Retry.backoff(Long.MAX_VALUE, BACKOFF)
                    .maxBackoff(BACKOFF_MAX)
                    .transientErrors(true))
            .subscribe(
                n -> {
                  if (n instanceof Notification note) {
                    receive(note.getParameter());
                  }
                });
    running.update(Disposables.composite(out, in));
    started = true;
  }

  @Override
  public synchronized void stop() {
    running.update(Disposables.disposed());
    listening.set(0);
    started = false;
  }

  @Override
  public boolean isRunning() {
    return started;
  }
}
