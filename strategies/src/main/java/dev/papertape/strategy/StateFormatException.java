package dev.papertape.strategy;

/**
 * Encoded strategy state that cannot be read: damaged bytes, another layout version, or the state
 * of another strategy type or parameters. A bug or an operator mix-up, never a market event.
 */
public class StateFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StateFormatException(String message) {
    super(message);
  }

  public StateFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
