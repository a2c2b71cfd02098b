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

  private Timestamps() {}

  public static String format(Instant ts) {
    return OUT.format(ts);
  }

  /** Parses ISO-8601 text ({@code Z} or an offset), truncated to milliseconds. */
  public static Instant parse(String field, String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidRecordException(field, "timestamp is missing or blank");
    }
    try {
      return OffsetDateTime.parse(text.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
          .toInstant()
          .truncatedTo(ChronoUnit.MILLIS);
    } catch (DateTimeException e) {
      throw new InvalidRecordException(
          field,
          "'"
              + text
              + "' is not an ISO-8601 timestamp with offset (e.g. 2026-11-24T14:30:00.123Z)"
              + " nor epoch milliseconds");
    }
  }

  public static Instant ofEpochMilli(long millis) {
    return Instant.ofEpochMilli(millis);
  }
}
