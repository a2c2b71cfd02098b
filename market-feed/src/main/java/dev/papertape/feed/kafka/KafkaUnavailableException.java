package dev.papertape.feed.kafka;

/** Kafka cannot be reached, or it refused the trades: the feed cannot do its job. */
public class KafkaUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KafkaUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
