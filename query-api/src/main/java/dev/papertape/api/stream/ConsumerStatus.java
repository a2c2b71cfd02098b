package dev.papertape.api.stream;

import java.time.Instant;

/**
 * What health reports about a channel's Kafka consumer.
 *
 * @param partitions partitions read (0 unless {@code UP})
 * @param failures failures since the application started
 * @param lastFailure the last failure's exception and message, or {@code null}
 * @param since when the consumer entered this state
 */
public record ConsumerStatus(
    Channel channel,
    State state,
    int partitions,
    long failures,
    String lastFailure,
    Instant since) {

  /** Where a channel's consumer is. */
  public enum State {
    /** Not attached to its topic yet (e.g. the topic does not exist yet). */
    STARTING,
    /** Reading its topic. */
    UP,
    /** Failed; a restart is scheduled. */
    DOWN,
    /** Stopped with the application. */
    STOPPED
  }
}
