package dev.papertape.strategy;

import dev.papertape.model.InvalidRecordException;

/**
 * A strategy parameter that is unknown, malformed or out of range. It is an {@link
 * InvalidRecordException} with the field {@code params.<name>}, so a bad control event goes to the
 * DLQ with this message as it is, and the API answers 422 naming {@link #parameter()} with {@link
 * #problem()} as the detail.
 */
public class InvalidParameterException extends InvalidRecordException {
  private static final long serialVersionUID = 1L;

  private final String parameter;
  private final String problem;

  public InvalidParameterException(String parameter, String problem) {
    super("params." + parameter, problem);
    this.parameter = parameter;
    this.problem = problem;
  }

  /** The parameter's name, e.g. {@code lookback}. */
  public String parameter() {
    return parameter;
  }

  /** What is wrong and what is accepted, without the parameter's name. */
  public String problem() {
    return problem;
  }
}
