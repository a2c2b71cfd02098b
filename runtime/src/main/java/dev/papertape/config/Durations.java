package dev.papertape.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration parser, for settings ({@link Settings#duration}) and command-line flags alike.
 *
 * <p>Accepted, case-insensitive, surrounding blanks ignored:
 *
 * <ul>
 *   <li>a whole number and a unit, optionally separated by blanks: {@code 250ms}, {@code 30s},
 *       {@code 1m}, {@code 2h}, {@code 1d}, {@code 5 s};
 *   <li>ISO-8601 ({@link Duration#parse}): {@code PT5S}, {@code pt1m30s}, {@code P1D}.
 * </ul>
 *
 * <p>Every duration returned fits in a {@code long} of milliseconds ({@link Duration#toMillis()}
 * never throws on it): a value too large for that is rejected, never wrapped around.
 */
public final class Durations {
  /** What {@link #parse} accepts, for error messages. */
  public static final String ACCEPTED = "a duration like 250ms, 30s, 1m, 2h, 1d or PT5S";

  private static final Pattern SHORT = Pattern.compile("([0-9]+)\\s*(ms|s|m|h|d)");

  private Durations() {}

  /**
   * Parses a duration of any sign allowed by the form: the short form is never negative, ISO-8601
   * may be ({@code PT-5S}); zero is accepted.
   *
   * @throws IllegalArgumentException naming the text and the accepted forms
   */
  public static Duration parse(String text) {
    Duration d = parseOrNull(text);
    if (d == null) {
      throw new IllegalArgumentException(
          "duration '" + text + "' is invalid: expected " + ACCEPTED);
    }
    return d;
  }

  /**
   * Parses a duration greater than zero, as command-line flags need.
   *
   * @throws IllegalArgumentException naming the text and the accepted forms
   */
  public static Duration parsePositive(String text) {
    Duration d = parseOrNull(text);
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(
          "duration '" + text + "' is invalid: expected " + ACCEPTED + ", greater than 0");
    }
    return d;
  }

  private static Duration parseOrNull(String text) {
    String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    try {
      Duration d;
      Matcher m = SHORT.matcher(s);
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        d =
            switch (m.group(2)) {
              case "ms" -> Duration.ofMillis(n);
              case "s" -> Duration.ofSeconds(n);
              case "m" -> Duration.ofMinutes(n);
              case "h" -> Duration.ofHours(n);
              default -> Duration.ofDays(n);
            };
      } else if (s.startsWith("p")) {
        d = Duration.parse(s.toUpperCase(Locale.ROOT));
      } else {
        return null;
      }
      d.toMillis(); // throws ArithmeticException if it does not fit in a long of milliseconds
      return d;
    } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
      return null; // too many digits, bad ISO-8601, or too large: reported by the caller
    }
  }

  /** Short text for logs: {@code 1m}, {@code 1d}, {@code 1500ms}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    if (ms % 86_400_000L == 0) {
      return ms / 86_400_000L + "d";
    }
    if (ms % 3_600_000L == 0) {
      return ms / 3_600_000L + "h";
    }
    if (ms % 60_000L == 0) {
      return ms / 60_000L + "m";
    }
    if (ms % 1000L == 0) {
      return ms / 1000L + "s";
    }
    return ms + "ms";
  }
}
