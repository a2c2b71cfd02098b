package dev.papertape.feed.replay;

import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.Timestamps;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** Parsing of CSV fields into exact values, with {@link InvalidRecordException} messages. */
final class CsvFields {
  private CsvFields() {}

  static BigDecimal decimal(String field, String text) {
    if (text.isEmpty()) {
      throw new InvalidRecordException(field, "is missing");
    }
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw new InvalidRecordException(field, "'" + text + "' is not a decimal number");
    }
  }

  static long wholeNumber(String field, String text) {
    if (text.isEmpty()) {
      throw new InvalidRecordException(field, "is missing");
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new InvalidRecordException(field, "'" + text + "' is not a whole number");
    }
  }

  /**
   * An ISO-8601 timestamp with an offset ({@code 2026-01-05T14:30:00Z}), epoch milliseconds ({@code
   * 1767623400000}) or a date ({@code 2026-01-05}, read as midnight UTC).
   */
  static Instant timestamp(String field, String text) {
    if (!text.isEmpty()
        && text.length() > 10
        && text.length() < 19
        && text.chars().allMatch(Character::isDigit)) {
      return Timestamps.ofEpochMilli(Long.parseLong(text));
    }
    if (text.length() == 10 && text.charAt(4) == '-' && text.charAt(7) == '-') {
      try {
        return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeException e) {
        throw new InvalidRecordException(field, "'" + text + "' is not a valid date");
      }
    }
    return Timestamps.parse(field, text);
  }
}
