package dev.papertape.api.stream;

/**
 * One event of a channel, as sent to clients.
 *
 * @param seq the channel's sequence number of the event (for {@code missed}: of the last event
 *     missed)
 * @param id {@code <epoch>-<seq>}: the process's start time and the sequence number; a client sends
 *     it back as {@code Last-Event-ID} to resume
 * @param symbol what symbol filters match ({@code null} for {@code missed}, which every client of
 *     the channel gets)
 * @param json the event in its data-contract JSON (the same as on the Kafka topic), or the body of
 *     a {@code missed} notice
 * @param type an event of the channel, or the notice that events were missed
 */
public record StreamEvent(
    Channel channel, long seq, String id, String symbol, String json, Type type) {

  /** What a stream element is. */
  public enum Type {
    /** An event of the channel. */
    EVENT,
    /** Events the client asked for (by {@code Last-Event-ID}) that are no longer held. */
    MISSED
  }

  public StreamEvent(Channel channel, long seq, String id, String symbol, String json) {
    this(channel, seq, id, symbol, json, Type.EVENT);
  }

  /** The SSE event name: the channel's label, or {@code missed}. */
  public String eventName() {
    return type == Type.MISSED ? "missed" : channel.label();
  }
}
