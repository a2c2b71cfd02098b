package dev.papertape.model;

import java.util.Locale;

/**
 * The one rule for free-text fields of events ({@code tradeId}, {@code source}, a signal's {@code
 * id}, {@code source} and {@code reason}), applied by the record constructors so that a record that
 * breaks it cannot exist, and the quoting of input in error messages.
 *
 * <p><b>Accepted text</b>: 1 to {@code maxLength} UTF-16 characters (Java {@code char}s, so at most
 * that many Unicode characters), not blank, and
 *
 * <ul>
 *   <li>no control character: nothing for which {@link Character#isISOControl} holds, i.e. U+0000
 *       to U+001F and U+007F to U+009F (NUL, tab, line feed, carriage return, escape, DEL, NEL, …);
 *   <li>no line or paragraph separator (U+2028, U+2029);
 *   <li>no unpaired surrogate (U+D800 to U+DFFF on their own): the text is well-formed Unicode, so
 *       it converts to UTF-8 and back unchanged (PostgreSQL, Kafka headers, logs).
 * </ul>
 *
 * Everything else of Unicode is accepted (letters of any script, symbols, emoji, spaces inside the
 * text). A stored identifier never breaks a database row, a log line or a terminal.
 */
public final class TextFields {
  /** Characters of an input value quoted in an error message; longer values are cut with "…". */
  public static final int QUOTED_CHARS = 40;

  private TextFields() {}

  /**
   * Checks a required text field.
   *
   * @return {@code value} unchanged
   * @throws InvalidRecordException naming {@code field} when the value is missing, blank, longer
   *     than {@code maxLength} or holds a character outside the accepted set
   */
  public static String check(String field, String value, int maxLength) {
    if (value == null) {
      throw new InvalidRecordException(field, "is missing");
    }
    if (value.isEmpty() || value.length() > maxLength || value.isBlank()) {
      throw new InvalidRecordException(
          field, "must be 1-" + maxLength + " characters, not blank (got " + value.length() + ")");
    }
    int bad = firstRejected(value);
    if (bad >= 0) {
      throw new InvalidRecordException(field, "must not contain " + describe(value, bad));
    }
    return value;
  }

  /** Like {@link #check}, but {@code null} (absent) is accepted and returned. */
  public static String checkOptional(String field, String value, int maxLength) {
    return value == null ? null : check(field, value, maxLength);
  }

  /**
   * {@code s} without surrounding spaces when it holds no character the rule rejects, else the
   * empty string (which no enum label or pattern matches): for short keywords (a side, a window),
   * where a trailing NUL must not be trimmed away as if it were a space.
   */
  static String trimmedIfClean(String s) {
    return s == null || firstRejected(s) >= 0 ? "" : s.trim();
  }

  /**
   * Index of the first character the rule rejects, or -1. For an unpaired surrogate it is the index
   * of that surrogate.
   */
  static int firstRejected(CharSequence s) {
    int n = s.length();
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        i += 2; // a well-formed pair: one character outside the BMP
      } else if (Character.isSurrogate(c) || rejected(c)) {
        return i;
      } else {
        i++;
      }
    }
    return -1;
  }

  private static boolean rejected(char c) {
    return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
  }

  private static String describe(String value, int index) {
    char c = value.charAt(index);
    String what;
    if (Character.isSurrogate(c)) {
      what = "an unpaired surrogate";
    } else if (Character.isISOControl(c)) {
      what = "the control character";
    } else {
      what = "the separator";
    }
    return what + " U+" + hex(c).toUpperCase(Locale.ROOT) + " (at index " + index + ")";
  }

  private static String hex(char c) {
    String h = Integer.toHexString(c);
    return "0000".substring(h.length()) + h;
  }

  /**
   * A value as quoted in an error message: in single quotes, at most {@value #QUOTED_CHARS}
   * characters long (then "…"), with control characters, separators and unpaired surrogates written
   * as {@code \\uXXXX}; {@code null} gives {@code null}. Short and printable whatever the value.
   */
  public static String quote(String value) {
    return value == null ? "null" : "'" + excerpt(value, QUOTED_CHARS) + "'";
  }

  /**
   * At most {@code max} characters (then "…") of {@code text} as it reads in a message: the
   * characters this rule rejects are written as {@code \\uXXXX} (and count as 6). For messages that
   * quote text from elsewhere, such as a parser's message.
   */
  public static String excerpt(String text, int max) {
    if (text == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder(Math.min(text.length(), max) + 8);
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      boolean pair =
          Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1));
      String piece;
      if (pair) {
        piece = text.substring(i, i + 2);
      } else if (Character.isSurrogate(c) || rejected(c)) {
        piece = "\\u" + hex(c);
      } else {
        piece = String.valueOf(c);
      }
      if (b.length() + piece.length() > max) {
        break;
      }
      b.append(piece);
      i += pair ? 2 : 1;
    }
    if (i < n) {
      b.append('…');
    }
    return b.toString();
  }
}
