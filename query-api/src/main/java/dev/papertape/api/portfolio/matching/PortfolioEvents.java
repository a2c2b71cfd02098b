package dev.papertape.api.portfolio.matching;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Order and fill events of every portfolio in this process, published after their transaction
 * committed, for {@code /stream/portfolio}. Subscribers see one portfolio's events only, from the
 * moment they subscribe, through their own bounded buffer of {@value #BUFFER} events: a slow
 * subscriber loses its oldest events (counted in {@link #dropped()}), never slows the ledger.
 *
 * <p>The events this instance makes ({@link #publish}) also go to {@link #outbound()}, which the
 * relay ({@code portfolio/PortfolioNotifications}) sends to the other API instances through
 * PostgreSQL {@code NOTIFY}; the events it hears from them come in through {@link #deliver} and go
 * to local subscribers only. So a client sees every instance's events of its portfolio, each once,
 * live (at most once: no replay).
 */
@Component
public class PortfolioEvents {
  static final int BUFFER = 256;

  /**
   * {@code order}: an order's new state; {@code fill}: a fill row; {@code reset}: the portfolio
   * after a reset (a new epoch); {@code alert}: one of the owner's alert rules fired (delivered by
   * every instance from its own {@code price-alerts} consumer with {@link #deliver}, never
   * relayed).
   */
  public enum Kind {
    ORDER,
    FILL,
    RESET,
    ALERT;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One event: {@code data} is the order or fill as the portfolio API answers it (serialised to
   * JSON as is).
   */
  public record Event(long portfolioId, Kind kind, Object data) {}

  private final Sinks.Many<Event> sink = Sinks.many().multicast().directBestEffort();
  private final Sinks.Many<Event> outbound = Sinks.many().multicast().directBestEffort();
  private final AtomicLong dropped = new AtomicLong();

  /**
   * Publishes one event this instance made (after its transaction committed), to local subscribers
   * and to {@link #outbound()}; never blocks, never fails (no subscriber: nothing happens).
   */
  public void publish(long portfolioId, Kind kind, Object data) {
    publish(new Event(portfolioId, kind, data));
  }

  public void publish(Event e) {
    synchronized (sink) {
      sink.tryEmitNext(e);
      outbound.tryEmitNext(e);
    }
  }

  /** An event another API instance made: to local subscribers only. */
  public void deliver(Event e) {
    synchronized (sink) {
      sink.tryEmitNext(e);
    }
  }

  /**
   * The events this instance makes, from now on, for the relay to the other instances; delivered on
   * the publisher's thread: a subscriber must not block, and should buffer (bounded).
   */
  public Flux<Event> outbound() {
    return outbound.asFlux();
  }

  /** The events of one portfolio from now on. */
  public Flux<Event> of(long portfolioId) {
    return sink.asFlux()
        .filter(e -> e.portfolioId() == portfolioId)
        .onBackpressureBuffer(
            BUFFER, e -> dropped.incrementAndGet(), BufferOverflowStrategy.DROP_OLDEST);
  }

  /** Events lost by slow subscribers since start. */
  public long dropped() {
    return dropped.get();
  }
}
