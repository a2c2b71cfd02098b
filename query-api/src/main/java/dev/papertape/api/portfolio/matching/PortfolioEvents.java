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
 * <p>In-process only: with several API instances, a client sees the events of the instance that
 * made the change (its own requests, and the fills that instance's matcher won).
 */
@Component
public class PortfolioEvents {
  static final int BUFFER = 256;

  /** {@code order}: an order's new state; {@code fill}: a fill row. */
  public enum Kind {
    ORDER,
    FILL;

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
  private final AtomicLong dropped = new AtomicLong();

  /** Publishes one event; never blocks, never fails (no subscriber: nothing happens). */
  public void publish(long portfolioId, Kind kind, Object data) {
    publish(new Event(portfolioId, kind, data));
  }

  public void publish(Event e) {
    synchronized (sink) {
      sink.tryEmitNext(e);
    }
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
