package dev.papertape.feed;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations on the command line: {@code 250ms}, {@code 30s}, {@code 1m}, {@code 2h}, {@code 1d} or
 * ISO-8601.
 */
public final class Durations {
  /** What {@link #parse} accepts, for error messages. */
  public static final String ACCEPTED = "a duration like 250ms, 30s, 1m, 2h, 1d or PT5S";

  private static final Pattern SHORT = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

  private Durations() {}

  /**
   * Parses a positive duration.
   *
   * @throws IllegalArgumentException naming the accepted forms
   */
  public static Duration parse(String text) {
    String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    Duration d = null;
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
      try {
        d = Duration.parse(s.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        d = null;
      }
    }
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(
          "duration '" + text + "' is invalid: expected " + ACCEPTED + ", greater than 0");
    }
    return d;
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
