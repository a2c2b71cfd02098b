package dev.papertape.api.stream;

import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;
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
 * <p>Per channel a multicast sink serves live clients, and a replay sink keeps the last {@code
 * replay} events, so a client that reconnects with {@code Last-Event-ID} gets what it missed while
 * it is still in memory. Every client has its own bounded buffer of {@code clientBuffer} events: a
 * slow or stalled client loses its <em>oldest</em> buffered events (counted in {@code
 * papertape_stream_events_dropped_total}), never slows the others, and never grows memory without
 * bound. Event ids are consecutive per channel, so a client sees a gap as a jump in ids.
 */
@Component
public class StreamHub {
  private final long epoch = System.currentTimeMillis();
  private final Map<Channel, Sinks.Many<StreamEvent>> live = new EnumMap<>(Channel.class);
  private final Map<Channel, Sinks.Many<StreamEvent>> replay = new EnumMap<>(Channel.class);
  private final Map<Channel, AtomicLong> seqs = new EnumMap<>(Channel.class);
  private final StreamProperties props;
  private final StreamMetrics metrics;

  public StreamHub(StreamProperties props, StreamMetrics metrics) {
    this.props = props;
    this.metrics = metrics;
    for (Channel c : Channel.values()) {
      live.put(c, Sinks.many().multicast().directBestEffort());
      if (props.replay() > 0) {
        replay.put(c, Sinks.many().replay().limit(props.replay()));
      }
      seqs.put(c, new AtomicLong());
    }
  }

  /** Publishes one event; called from the channel's single consumer thread. */
  public void publish(Channel c, String symbol, String json) {
    // the sequence becomes visible to resuming subscribers only after the event is in the replay
    // sink, so a client resuming meanwhile receives it from there
    AtomicLong published = seqs.get(c);
    long seq = published.get() + 1;
    StreamEvent e = new StreamEvent(c, seq, epoch + "-" + seq, symbol, json);
    Sinks.Many<StreamEvent> buffer = replay.get(c);
    if (buffer != null) {
      check(c, buffer.tryEmitNext(e));
    }
    published.set(seq);
    check(c, live.get(c).tryEmitNext(e));
  }

  private static void check(Channel c, Sinks.EmitResult r) {
    if (r.isFailure() && r != Sinks.EmitResult.FAIL_ZERO_SUBSCRIBER) {
      throw new IllegalStateException("cannot publish to channel " + c.label() + ": " + r);
    }
  }

  /**
   * A client's view of a channel: events of {@code symbols} (all when empty) after {@code
   * lastEventId} when it is still in the replay window, else from now on. Live clients attach to
   * the multicast sink directly (no replay buffer to skip); resuming clients read the replay sink.
   */
  public Flux<StreamEvent> subscribe(
      Channel c, Set<String> symbols, String lastEventId, String transport) {
    return Flux.defer(
        () -> {
          OptionalLong after = resumePoint(c, lastEventId);
          Flux<StreamEvent> source =
              after.isPresent()
                  ? replay.get(c).asFlux().filter(e -> e.seq() > after.getAsLong())
                  : live.get(c).asFlux();
          return source
              .filter(e -> symbols.isEmpty() || symbols.contains(e.symbol()))
              .onBackpressureBuffer(
                  props.clientBuffer(),
                  dropped -> metrics.dropped(c, transport),
                  BufferOverflowStrategy.DROP_OLDEST)
              .doOnNext(e -> metrics.sent(c, transport))
              .doOnSubscribe(s -> metrics.connected(c, transport))
              .doFinally(s -> metrics.disconnected(c, transport));
        });
  }

  /**
   * The sequence number to resume after, when {@code lastEventId} is an id of this process still in
   * the replay window (older ids resume from the oldest event kept); empty: start live.
   */
  OptionalLong resumePoint(Channel c, String lastEventId) {
    if (lastEventId == null || lastEventId.isBlank() || !replay.containsKey(c)) {
      return OptionalLong.empty();
    }
    long now = seqs.get(c).get();
    int dash = lastEventId.indexOf('-');
    try {
      long idEpoch = Long.parseLong(lastEventId.substring(0, dash));
      long seq = Long.parseLong(lastEventId.substring(dash + 1));
      if (idEpoch == epoch && seq <= now) {
        return OptionalLong.of(Math.max(seq, now - props.replay()));
      }
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      // not an id of ours (another process, or garbage): start live
    }
    return OptionalLong.empty();
  }
}
