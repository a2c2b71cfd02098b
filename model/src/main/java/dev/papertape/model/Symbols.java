package dev.papertape.model;

import java.util.Locale;
import java.util.regex.Pattern;

/** Ticker symbols: upper case, 1-15 characters of A-Z, 0-9, '.', '-' starting with a letter. */
public final class Symbols {
  private static final Pattern VALID = Pattern.compile("[A-Z][A-Z0-9.\\-]{0,14}");

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
    String s = raw.trim().toUpperCase(Locale.ROOT);
    if (!VALID.matcher(s).matches()) {
      throw new InvalidRecordException(
          field,
          "'"
              + raw
              + "' is not a valid symbol: use 1-15 characters A-Z, 0-9, '.', '-', starting"
              + " with a letter (e.g. AAPL, BRK.B)");
    }
    return s;
  }
}
