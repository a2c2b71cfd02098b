package dev.papertape.api.problem;

/**
 * The text of a request parameter that cannot become its type, thrown by the parameter's converter.
 * A converter does not know the parameter's name: {@link ProblemHandler} answers 400 {@code
 * invalid-parameter} with the detail {@code '<name>' <reason>, got '<text>'.} and the {@code
 * parameter} member.
 */
public class ParameterFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String reason;
  private final String text;

  /**
   * @param reason what is accepted, as a predicate: {@code "must be asc or desc"}
   * @param text the parameter's text as the client sent it
   */
  public ParameterFormatException(String reason, String text) {
    super(reason + ", got '" + text + "'");
    this.reason = reason;
    this.text = text;
  }

  public String reason() {
    return reason;
  }

  public String text() {
    return text;
  }
}
