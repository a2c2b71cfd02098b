package dev.papertape.model;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Ticker symbols: upper case, 1-15 characters of A-Z, 0-9, '.', '-' starting with a letter. Input
 * may be lower case and surrounded by spaces; a control character anywhere (see {@link TextFields})
 * makes it invalid.
 */
public final class Symbols {
  /** What is accepted before upper-casing: ASCII only, so upper-casing cannot change the length. */
  private static final Pattern INPUT = Pattern.compile("[A-Za-z][A-Za-z0-9.\\-]{0,14}");

  /** Longest text looked at, surrounding spaces included. */
  private static final int MAX_RAW = 64;

  private Symbols() {}

  /**
   * Returns the canonical (upper-case, trimmed) form of {@code raw}.
   *
   * @throws InvalidRecordException naming {@code field} when the symbol is missing or malformed
   */
  public static String normalize(String field, String raw) {
    if (raw == null || raw.isBlank()) {
      throw new InvalidRecordException(field, "symbol is missing or blank");
    }
    String s = raw.length() <= MAX_RAW && TextFields.firstRejected(raw) < 0 ? raw.trim() : "";
    if (!INPUT.matcher(s).matches()) {
      throw new InvalidRecordException(
          field,
          TextFields.quote(raw)
              + " is not a valid symbol: use 1-15 characters A-Z, 0-9, '.', '-', starting"
              + " with a letter (e.g. AAPL, BRK.B)");
    }
    return s.toUpperCase(Locale.ROOT);
  }
}
