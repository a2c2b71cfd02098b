package dev.papertape.api.market;

import dev.papertape.api.problem.ParameterFormatException;
import dev.papertape.api.problem.Problems;
import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.Timestamps;
import java.time.Instant;
import java.util.Optional;
import org.springframework.web.ErrorResponseException;

/**
 * A time bound of a query ({@code from}, {@code to}): the instant, and the text the client wrote,
 * for messages that quote it.
 *
 * @param at the instant, between years 1 and 9999 (what PostgreSQL's timestamptz holds)
 * @param text the parameter as sent
 */
public record TimeBound(Instant at, String text) {
  static final String ACCEPTED =
      "must be an ISO-8601 timestamp (e.g. 2026-11-24T14:30:00Z) or epoch milliseconds between"
          + " years 1 and 9999";

  /**
   * Reads ISO-8601 (with offset) or epoch milliseconds, surrounding spaces allowed.
   *
   * @throws ParameterFormatException for anything else, and for instants outside years 1 to 9999
   */
  public static TimeBound parse(String text) {
    String v = text.trim();
    Instant t;
    try {
      t =
          !v.isEmpty() && v.chars().allMatch(Character::isDigit)
              ? Instant.ofEpochMilli(Long.parseLong(v))
              : Timestamps.parse("time", v);
    } catch (InvalidRecordException | NumberFormatException e) {
      throw new ParameterFormatException(ACCEPTED, text);
    }
    if (t.isBefore(MarketRepository.MIN) || t.isAfter(MarketRepository.MAX)) {
      throw new ParameterFormatException(ACCEPTED, text);
    }
    return new TimeBound(t, text);
  }

  /** The instant of a bound that may be absent. */
  /**
   * The 400 problem of a range whose {@code from} is not before its {@code to}; empty when the
   * range is fine (either bound may be absent).
   */
  public static Optional<ErrorResponseException> invalidRange(TimeBound from, TimeBound to) {
    if (from != null && to != null && !from.at().isBefore(to.at())) {
      return Optional.of(
          Problems.invalidParameter(
              "from", "'from' (" + from.text() + ") must be before 'to' (" + to.text() + ")."));
    }
    return Optional.empty();
  }

  public static Instant at(TimeBound bound) {
    return bound == null ? null : bound.at();
  }
}
