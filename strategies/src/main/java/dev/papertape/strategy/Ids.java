package dev.papertape.strategy;

import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.TextFields;
import java.util.regex.Pattern;

/**
 * Ids of strategy instances and alert rules: 1-64 characters of {@code A-Z a-z 0-9 . _ -}, starting
 * with a letter or digit. They appear in URLs, Kafka keys and as a signal's {@code source}.
 */
public final class Ids {
  /** Longest id; equals {@link dev.papertape.model.Signal#MAX_SOURCE}. */
  public static final int MAX_LENGTH = 64;

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private Ids() {}

  /**
   * @return {@code id} unchanged
   * @throws InvalidRecordException naming {@code field} unless the id is well-formed
   */
  public static String check(String field, String id) {
    if (id == null) {
      throw new InvalidRecordException(field, "is missing");
    }
    if (id.length() > MAX_LENGTH || !ID.matcher(id).matches()) {
      throw new InvalidRecordException(
          field,
          TextFields.quote(id)
              + " is not an id: use 1-64 characters A-Z, a-z, 0-9, '.', '_', '-', starting with a"
              + " letter or digit");
    }
    return id;
  }
}
