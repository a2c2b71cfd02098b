package dev.papertape.api.strategy;

import dev.papertape.api.problem.Problems;
import dev.papertape.strategy.InvalidParameterException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** The problem types (RFC 9457) of strategies and alert rules, each with a stable {@code type}. */
public final class StrategyProblems {
  private static final String BASE = "https://papertape.dev/problems/";

  /** A strategy parameter out of range or malformed (422); {@code parameter} names it. */
  public static final URI INVALID_STRATEGY_PARAMETER =
      URI.create(BASE + "invalid-strategy-parameter");

  /** No such strategy instance of this user (404); another user's is not found either. */
  public static final URI STRATEGY_NOT_FOUND = URI.create(BASE + "strategy-not-found");

  /** No such alert rule of this user (404); another user's is not found either. */
  public static final URI ALERT_RULE_NOT_FOUND = URI.create(BASE + "alert-rule-not-found");

  /** The id is taken by another user's instance or rule (409): ids are global. */
  public static final URI ID_TAKEN = URI.create(BASE + "id-taken");

  /** The user already has the most active instances or rules allowed (422). */
  public static final URI TOO_MANY = URI.create(BASE + "too-many-active");

  /**
   * Kafka did not acknowledge the control event in time (503): the change is stored and pending,
   * and the API publishes it again by itself; retrying the same request is safe.
   */
  public static final URI CONTROL_UNAVAILABLE = URI.create(BASE + "control-unavailable");

  /** Seconds to wait before retrying after {@code control-unavailable}. */
  static final long RETRY_AFTER_SECONDS = 10;

  private StrategyProblems() {}

  static ErrorResponseException invalidParameter(String strategy, InvalidParameterException e) {
    ErrorResponseException p =
        Problems.problem(
            HttpStatus.UNPROCESSABLE_CONTENT,
            INVALID_STRATEGY_PARAMETER,
            "Invalid strategy parameter",
            "Parameter '"
                + e.parameter()
                + "' of "
                + strategy
                + " "
                + e.problem()
                + "; GET /strategies/types lists the parameters.");
    p.getBody().setProperty("parameter", "params." + e.parameter());
    return p;
  }

  static ErrorResponseException strategyNotFound(String id) {
    return Problems.problem(
        HttpStatus.NOT_FOUND,
        STRATEGY_NOT_FOUND,
        "Strategy not found",
        "You have no strategy instance '" + id + "'.");
  }

  static ErrorResponseException ruleNotFound(String id) {
    return Problems.problem(
        HttpStatus.NOT_FOUND,
        ALERT_RULE_NOT_FOUND,
        "Alert rule not found",
        "You have no alert rule '" + id + "'.");
  }

  static ErrorResponseException idTaken(String what, String id) {
    ErrorResponseException p =
        Problems.problem(
            HttpStatus.CONFLICT,
            ID_TAKEN,
            "Id taken",
            "The "
                + what
                + " id '"
                + id
                + "' is in use by someone else (ids are global); choose another or omit it.");
    p.getBody().setProperty("parameter", "id");
    return p;
  }

  static ErrorResponseException tooMany(String what, int max) {
    return Problems.problem(
        HttpStatus.UNPROCESSABLE_CONTENT,
        TOO_MANY,
        "Too many active",
        "You have " + max + " active " + what + ", the most allowed; deactivate one first.");
  }

  static ErrorResponseException controlUnavailable(String what, String id) {
    ErrorResponseException p =
        Problems.problem(
            HttpStatus.SERVICE_UNAVAILABLE,
            CONTROL_UNAVAILABLE,
            "Control topic unavailable",
            "The change of "
                + what
                + " '"
                + id
                + "' is stored, but Kafka did not acknowledge it; the API publishes it again by"
                + " itself and the signals job applies it then. Repeating this request is safe.");
    p.getBody().setProperty("id", id);
    p.getHeaders().set("Retry-After", Long.toString(RETRY_AFTER_SECONDS));
    return p;
  }
}
