package dev.papertape.api.stream;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;
import org.reactivestreams.Publisher;
import org.springframework.stereotype.Component;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Fans each channel's events out to every connected client: one Kafka consumer per channel feeds
 * {@link #publish}, any number of clients {@link #subscribe}.
 *
 * <p>Per channel, a ring keeps the last {@code replay} events by sequence number, and a multicast
 * sink carries new events to live clients. Every live client has its own bounded buffer of {@code
 * clientBuffer} events: a slow or stalled client loses its <em>oldest</em> buffered events (counted
 * in {@code papertape_stream_events_dropped_total}), never slows the others, and never grows memory
 * without bound.
 *
 * <p>A client that resumes with {@code Last-Event-ID} first reads the ring, on demand (its buffer
 * plays no part, so it may have missed any number of events), until it has caught up; then it
 * attaches to the live sink and reads the ring once more for what was published meanwhile, skipping
 * what it already has. It gets every event after its id that is still held, in order and once. What
 * is no longer held is announced by one {@link StreamEvent.Type#MISSED missed} event with the range
 * and count, and so is an id this process did not issue (e.g. from before a restart).
 */
@Component
public class StreamHub {
  /** Marks, in the live flux of a resuming client, the moment it is attached. */
  private static final StreamEvent ATTACHED =
      new StreamEvent(Channel.TRADES, -1, "", "", "", StreamEvent.Type.EVENT);

  private final long epoch = System.currentTimeMillis();
  private final Map<Channel, Lane> lanes = new EnumMap<>(Channel.class);
  private final StreamProperties props;
  private final StreamMetrics metrics;

  public StreamHub(StreamProperties props, StreamMetrics metrics) {
    this.props = props;
    this.metrics = metrics;
    for (Channel c : Channel.values()) {
      lanes.put(c, new Lane(props.replay()));
    }
  }

  /** One channel: the ring of its latest events, the sequence number of the newest, live sink. */
  private static final class Lane {
    final AtomicReferenceArray<StreamEvent> ring;
    final Sinks.Many<StreamEvent> live = Sinks.many().multicast().directBestEffort();

    /**
     * Sequence number of the newest event (0: none yet); written after the event is in the ring.
     */
    volatile long head;

    Lane(int capacity) {
      ring = new AtomicReferenceArray<>(capacity);
    }

    /** The event with this sequence number if the ring still holds it, else {@code null}. */
    StreamEvent held(long seq) {
      if (ring.length() == 0) {
        return null;
      }
      StreamEvent e = ring.get((int) (seq % ring.length()));
      return e != null && e.seq() == seq ? e : null;
    }

    /** The oldest sequence number held (head + 1 when nothing is). */
    long oldestHeld() {
      long h = head;
      return Math.max(1, h - ring.length() + 1);
    }
  }

  /** The start of this hub, the first part of every event id. */
  long epoch() {
    return epoch;
  }

  private String id(long seq) {
    return epoch + "-" + seq;
  }

  /** Publishes one event; called from the channel's consumer thread. */
  public void publish(Channel c, String symbol, String json) {
    Lane lane = lanes.get(c);
    synchronized (lane) {
      long seq = lane.head + 1;
      StreamEvent e = new StreamEvent(c, seq, id(seq), symbol, json);
      if (lane.ring.length() > 0) {
        lane.ring.set((int) (seq % lane.ring.length()), e);
      }
      // visible to readers of the ring only now, with the event in place
      lane.head = seq;
      Sinks.EmitResult r = lane.live.tryEmitNext(e);
      if (r.isFailure() && r != Sinks.EmitResult.FAIL_ZERO_SUBSCRIBER) {
        throw new IllegalStateException("cannot publish to channel " + c.label() + ": " + r);
      }
    }
  }

  /**
   * A client's view of a channel: events of {@code symbols} (all when empty), from now on, or after
   * {@code lastEventId} (see the class comment), preceded by a {@code missed} event when some are
   * no longer held.
   */
  public Flux<StreamEvent> subscribe(
      Channel c, Set<String> symbols, String lastEventId, String transport) {
    Lane lane = lanes.get(c);
    return Flux.defer(
        () -> {
          ResumePoint from = resumePoint(c, lastEventId);
          Flux<StreamEvent> events =
              switch (from.kind()) {
                case LIVE -> live(lane, c, symbols, transport);
                case AFTER -> resume(lane, c, symbols, transport, from.after());
                case UNKNOWN ->
                    resume(lane, c, symbols, transport, from.after())
                        .startWith(unknownId(c, from.after()));
              };
          return events
              .filter(
                  e ->
                      e.type() == StreamEvent.Type.MISSED
                          || symbols.isEmpty()
                          || symbols.contains(e.symbol()))
              .doOnNext(
                  e -> {
                    if (e.type() == StreamEvent.Type.EVENT) {
                      metrics.sent(c, transport);
                    }
                  })
              .doOnSubscribe(s -> metrics.connected(c, transport))
              .doFinally(s -> metrics.disconnected(c, transport));
        });
  }

  /** New events, through the client's own bounded buffer. */
  private Flux<StreamEvent> live(Lane lane, Channel c, Set<String> symbols, String transport) {
    return lane.live
        .asFlux()
        .filter(e -> symbols.isEmpty() || symbols.contains(e.symbol()))
        .onBackpressureBuffer(
            props.clientBuffer(),
            dropped -> metrics.dropped(c, transport),
            BufferOverflowStrategy.DROP_OLDEST);
  }

  /** Where a resuming client is: the last sequence number it has; read by one flux at a time. */
  private static final class Cursor {
    volatile long last;
    volatile boolean attached;

    Cursor(long last) {
      this.last = last;
    }
  }

  private Flux<StreamEvent> resume(
      Lane lane, Channel c, Set<String> symbols, String transport, long after) {
    Cursor cursor = new Cursor(after);
    // 1. catch up from the ring: what the client missed, and what is published while it reads
    // 2. attach to the live sink; once attached (ATTACHED follows the live subscription), read the
    //    ring again for what came in between; live events the client already has are skipped
    return Flux.concat(
        catchUp(lane, c, cursor, () -> lane.head),
        Flux.defer(
            () ->
                Flux.merge(live(lane, c, symbols, transport), Mono.just(ATTACHED))
                    .concatMap(e -> next(lane, c, cursor, e))));
  }

  private Publisher<StreamEvent> next(Lane lane, Channel c, Cursor cursor, StreamEvent e) {
    if (e == ATTACHED) {
      return catchUp(lane, c, cursor, () -> lane.head).doOnComplete(() -> cursor.attached = true);
    }
    if (e.seq() <= cursor.last) {
      return Mono.empty(); // already delivered from the ring
    }
    if (!cursor.attached && e.seq() > cursor.last + 1) {
      // published between the catch-up and the attachment: from the ring first
      long before = e.seq() - 1;
      return catchUp(lane, c, cursor, () -> before)
          .concatWith(Mono.fromSupplier(() -> take(cursor, e)));
    }
    // consecutive, or a gap from this client's own buffer overflowing (counted as dropped); the
    // mapper runs once the previous inner flux has completed, so the cursor is current
    return Mono.just(take(cursor, e));
  }

  private static StreamEvent take(Cursor cursor, StreamEvent e) {
    cursor.last = e.seq();
    return e;
  }

  /**
   * The events after the cursor up to {@code until} (read when each is requested), from the ring; a
   * stretch no longer held becomes one {@code missed} event.
   */
  private Flux<StreamEvent> catchUp(Lane lane, Channel c, Cursor cursor, LongSupplier until) {
    return Flux.generate(
        sink -> {
          long next = cursor.last + 1;
          if (next > until.getAsLong()) {
            sink.complete();
            return;
          }
          StreamEvent e = lane.held(next);
          if (e != null) {
            sink.next(take(cursor, e));
            return;
          }
          // overwritten since (or never held): announce the stretch, go on with the oldest held
          long to = Math.max(next, Math.min(lane.oldestHeld(), until.getAsLong() + 1) - 1);
          cursor.last = to;
          sink.next(missed(c, next, to));
        });
  }

  private StreamEvent missed(Channel c, long from, long to) {
    String json =
        "{\"channel\":\""
            + c.label()
            + "\",\"reason\":\"expired\",\"from\":\""
            + id(from)
            + "\",\"to\":\""
            + id(to)
            + "\",\"count\":"
            + (to - from + 1)
            + "}";
    return new StreamEvent(c, to, id(to), null, json, StreamEvent.Type.MISSED);
  }

  private StreamEvent unknownId(Channel c, long now) {
    String json =
        "{\"channel\":\""
            + c.label()
            + "\",\"reason\":\"unknown-id\",\"from\":null,\"to\":\""
            + id(now)
            + "\",\"count\":null}";
    return new StreamEvent(c, now, id(now), null, json, StreamEvent.Type.MISSED);
  }

  /**
   * Where a client starts.
   *
   * @param after for {@code AFTER}: the sequence number of the client's last event; for {@code
   *     UNKNOWN}: the newest now, which the client resumes after
   */
  record ResumePoint(Kind kind, long after) {
    enum Kind {
      /** No {@code Last-Event-ID}: from now on. */
      LIVE,
      /** An id of this process: every event after it. */
      AFTER,
      /** Not an id of this process (an earlier run, another instance, garbage): from now on. */
      UNKNOWN
    }
  }

  /** Where a client with this {@code Last-Event-ID} (may be null) starts on channel {@code c}. */
  ResumePoint resumePoint(Channel c, String lastEventId) {
    long now = lanes.get(c).head;
    if (lastEventId == null || lastEventId.isBlank()) {
      return new ResumePoint(ResumePoint.Kind.LIVE, now);
    }
    String id = lastEventId.trim();
    int dash = id.indexOf('-');
    if (dash > 0 && id.length() <= 40) {
      try {
        long idEpoch = Long.parseLong(id.substring(0, dash));
        long seq = Long.parseLong(id.substring(dash + 1));
        if (idEpoch == epoch && seq >= 0 && seq <= now) {
          return new ResumePoint(ResumePoint.Kind.AFTER, seq);
        }
      } catch (NumberFormatException e) {
        return new ResumePoint(ResumePoint.Kind.UNKNOWN, now);
      }
    }
    return new ResumePoint(ResumePoint.Kind.UNKNOWN, now);
  }
}
