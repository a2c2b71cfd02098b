package dev.papertape.model;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Event timestamps: held at millisecond precision, written as ISO-8601 UTC with exactly three
 * fractional digits ({@code 2026-11-24T14:30:00.123Z}); read from ISO-8601 (any offset) or epoch
 * milliseconds.
 */
public final class Timestamps {
  private static final DateTimeFormatter OUT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** Longest ISO-8601 text read; the longest valid form is about 40 characters. */
  private static final int MAX_TEXT = 64;

  private Timestamps() {}

  public static String format(Instant ts) {
    return OUT.format(ts);
  }

  /**
   * Parses ISO-8601 text ({@code Z} or an offset), truncated to milliseconds. Text longer than
   * {@value #MAX_TEXT} characters is refused unread.
   */
  public static Instant parse(String field, String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidRecordException(field, "timestamp is missing or blank");
    }
    if (text.length() > MAX_TEXT || TextFields.firstRejected(text) >= 0) {
      throw notATimestamp(field, text);
    }
    try {
      return OffsetDateTime.parse(text.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
          .toInstant()
          .truncatedTo(ChronoUnit.MILLIS);
    } catch (DateTimeException e) {
      throw notATimestamp(field, text);
    }
  }

  private static InvalidRecordException notATimestamp(String field, String text) {
    return new InvalidRecordException(
        field,
        TextFields.quote(text)
            + " is not an ISO-8601 timestamp with offset (e.g. 2026-11-24T14:30:00.123Z)"
            + " nor epoch milliseconds");
  }

  public static Instant ofEpochMilli(long millis) {
    return Instant.ofEpochMilli(millis);
  }

  /**
   * {@code ts} for a message: as {@link #format} when it can be (years 0-9999 and far beyond), else
   * ISO-8601 as {@link Instant#toString}; never throws for any {@link Instant}.
   */
  public static String describe(Instant ts) {
    try {
      return format(ts);
    } catch (DateTimeException e) {
      return ts.toString(); // beyond LocalDateTime's years: Instant's own form always works
    }
  }
}
