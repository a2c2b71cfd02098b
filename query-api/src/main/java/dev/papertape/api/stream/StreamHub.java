package dev.papertape.api.stream;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Fans each channel's events out to every connected client: one Kafka consumer per channel feeds
 * {@link #publish}, any number of clients {@link #subscribe}.
 *
 * <p>Per channel a replay sink keeps the last {@code replay} events, so a client that reconnects
 * with {@code Last-Event-ID} gets what it missed while it is still in memory; others start live.
 * Every client has its own bounded buffer of {@code clientBuffer} events: a slow or stalled client
 * loses its <em>oldest</em> buffered events (counted in {@code
 * papertape_stream_events_dropped_total}), never slows the others, and never grows memory without
 * bound. Event ids are consecutive per channel, so a client sees a gap as a jump in ids.
 */
@Component
public class StreamHub {
  private final long epoch = System.currentTimeMillis();
  private final Map<Channel, Sinks.Many<StreamEvent>> sinks = new EnumMap<>(Channel.class);
  private final Map<Channel, AtomicLong> seqs = new EnumMap<>(Channel.class);
  private final StreamProperties props;
  private final StreamMetrics metrics;

  public StreamHub(StreamProperties props, StreamMetrics metrics) {
    this.props = props;
    this.metrics = metrics;
    for (Channel c : Channel.values()) {
      sinks.put(
          c,
          props.replay() > 0
              ? Sinks.many().replay().limit(props.replay())
              : Sinks.many().multicast().directBestEffort());
      seqs.put(c, new AtomicLong());
    }
  }

  /** Publishes one event; called from the channel's single consumer thread. */
  public void publish(Channel c, String symbol, String json) {
    // the sequence becomes visible to new subscribers only after the event is in the sink, so a
    // client subscribing meanwhile resumes before it and receives it (from the replay buffer)
    AtomicLong published = seqs.get(c);
    long seq = published.get() + 1;
    Sinks.EmitResult r =
        sinks.get(c).tryEmitNext(new StreamEvent(c, seq, epoch + "-" + seq, symbol, json));
    if (r.isFailure() && r != Sinks.EmitResult.FAIL_ZERO_SUBSCRIBER) {
      throw new IllegalStateException("cannot publish to channel " + c.label() + ": " + r);
    }
    published.set(seq);
  }

  /**
   * A client's view of a channel: events of {@code symbols} (all when empty) after {@code
   * lastEventId} when it is still in the replay window, else from now on.
   */
  public Flux<StreamEvent> subscribe(
      Channel c, Set<String> symbols, String lastEventId, String transport) {
    return Flux.defer(
        () -> {
          long after = resumePoint(c, lastEventId);
          return sinks
              .get(c)
              .asFlux()
              .filter(e -> e.seq() > after && (symbols.isEmpty() || symbols.contains(e.symbol())))
              .onBackpressureBuffer(
                  props.clientBuffer(),
                  dropped -> metrics.dropped(c, transport),
                  BufferOverflowStrategy.DROP_OLDEST)
              .doOnNext(e -> metrics.sent(c, transport))
              .doOnSubscribe(s -> metrics.connected(c, transport))
              .doFinally(s -> metrics.disconnected(c, transport));
        });
  }

  /** The sequence number to resume after: the client's last id if it is ours, else "now". */
  long resumePoint(Channel c, String lastEventId) {
    long now = seqs.get(c).get();
    if (lastEventId == null || lastEventId.isBlank()) {
      return now;
    }
    int dash = lastEventId.indexOf('-');
    try {
      long idEpoch = Long.parseLong(lastEventId.substring(0, dash));
      long seq = Long.parseLong(lastEventId.substring(dash + 1));
      if (idEpoch == epoch && seq <= now) {
        return Math.max(seq, now - props.replay());
      }
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      // not an id of ours (another process, or garbage): start live
    }
    return now;
  }
}
