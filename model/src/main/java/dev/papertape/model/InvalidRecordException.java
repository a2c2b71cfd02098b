package dev.papertape.model;

/**
 * A record (JSON message, CSV row, API body) that cannot become a domain event. The message names
 * the field and says what was wrong and what is accepted, so it can be shown to a user or stored
 * beside the raw bytes in a dead-letter topic as it is.
 */
public class InvalidRecordException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Longest message kept. */
  public static final int MAX_MESSAGE = 500;

  private final String field;

  public InvalidRecordException(String field, String message) {
    super(cut(field == null ? message : "field '" + field + "': " + message));
    this.field = field;
  }

  public InvalidRecordException(String message, Throwable cause) {
    super(cut(message), cause);
    this.field = null;
  }

  private static String cut(String message) {
    return message == null || message.length() <= MAX_MESSAGE
        ? message
        : message.substring(0, MAX_MESSAGE) + "…";
  }

  /** The offending field, or {@code null} when the record as a whole is unreadable. */
  public String field() {
    return field;
  }
}
