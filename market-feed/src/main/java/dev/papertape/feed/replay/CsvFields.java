package dev.papertape.feed.replay;

import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.TextFields;
import dev.papertape.model.Timestamps;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Parsing of CSV fields into exact values, with {@link InvalidRecordException} messages that quote
 * at most a short prefix of the field ({@link TextFields#quote}). A number field longer than
 * {@value #MAX_NUMBER} characters is refused unread.
 */
final class CsvFields {
  /** Longest number text read: a price has at most 10 + 8 digits. */
  static final int MAX_NUMBER = 64;

  private CsvFields() {}

  static BigDecimal decimal(String field, String text) {
    if (text.isEmpty()) {
      throw new InvalidRecordException(field, "is missing");
    }
    if (text.length() > MAX_NUMBER) {
      throw new InvalidRecordException(
          field,
          TextFields.quote(text)
              + " is not a decimal number of at most "
              + MAX_NUMBER
              + " characters");
    }
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw new InvalidRecordException(field, TextFields.quote(text) + " is not a decimal number");
    }
  }

  static long wholeNumber(String field, String text) {
    if (text.isEmpty()) {
      throw new InvalidRecordException(field, "is missing");
    }
    if (text.length() > 20 || !isAsciiInteger(text)) {
      throw new InvalidRecordException(field, TextFields.quote(text) + " is not a whole number");
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new InvalidRecordException(
          field, TextFields.quote(text) + " is not a whole number of at most 19 digits");
    }
  }

  /**
   * An ISO-8601 timestamp with an offset ({@code 2026-01-05T14:30:00Z}), epoch milliseconds ({@code
   * 1767623400000}, 11-18 ASCII digits) or a date ({@code 2026-01-05}, read as midnight UTC).
   */
  static Instant timestamp(String field, String text) {
    if (text.length() > 10 && text.length() < 19 && isAsciiDigits(text)) {
      return Timestamps.ofEpochMilli(Long.parseLong(text));
    }
    if (text.length() == 10 && text.charAt(4) == '-' && text.charAt(7) == '-') {
      try {
        return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeException e) {
        throw new InvalidRecordException(field, TextFields.quote(text) + " is not a valid date");
      }
    }
    return Timestamps.parse(field, text);
  }

  private static boolean isAsciiInteger(String text) {
    int start = text.charAt(0) == '-' || text.charAt(0) == '+' ? 1 : 0;
    return text.length() > start && isAsciiDigits(text.substring(start));
  }

  private static boolean isAsciiDigits(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
