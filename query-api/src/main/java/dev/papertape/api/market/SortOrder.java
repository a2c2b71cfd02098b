package dev.papertape.api.market;

import dev.papertape.api.problem.ParameterFormatException;
import java.util.Locale;

/** The order of a history page: {@code desc} (newest first) or {@code asc}. */
public enum SortOrder {
  ASC("asc"),
  DESC("desc");

  private final String label;

  SortOrder(String label) {
    this.label = label;
  }

  /** The wire form, {@code asc} or {@code desc}. */
  public String label() {
    return label;
  }

  public boolean ascending() {
    return this == ASC;
  }

  /**
   * The order named by {@code text} in any case; never {@code null}.
   *
   * @throws ParameterFormatException for anything else
   */
  public static SortOrder parse(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "asc" -> ASC;
      case "desc" -> DESC;
      default -> throw new ParameterFormatException("must be asc or desc", text);
    };
  }
}
