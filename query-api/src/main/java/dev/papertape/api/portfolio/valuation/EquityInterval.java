package dev.papertape.api.portfolio.valuation;

import dev.papertape.api.problem.ParameterFormatException;
import java.time.Duration;
import java.util.Locale;

/** The step of a downsampled equity curve ({@code ?interval=}): the last snapshot per bucket. */
public enum EquityInterval {
  ONE_MINUTE("1m", Duration.ofMinutes(1), "1 minute"),
  FIVE_MINUTES("5m", Duration.ofMinutes(5), "5 minutes"),
  ONE_HOUR("1h", Duration.ofHours(1), "1 hour"),
  ONE_DAY("1d", Duration.ofDays(1), "1 day");

  static final String ACCEPTED = "must be 1m, 5m, 1h or 1d";

  private final String label;
  private final Duration size;
  private final String sql;

  EquityInterval(String label, Duration size, String sql) {
    this.label = label;
    this.size = size;
    this.sql = sql;
  }

  public String label() {
    return label;
  }

  public Duration size() {
    return size;
  }

  /** The PostgreSQL interval literal (a constant of this enum, never client text). */
  String sql() {
    return sql;
  }

  /**
   * Reads a label, surrounding spaces and case ignored.
   *
   * @throws ParameterFormatException for anything else
   */
  public static EquityInterval parse(String text) {
    String v = text.trim().toLowerCase(Locale.ROOT);
    for (EquityInterval i : values()) {
      if (i.label.equals(v)) {
        return i;
      }
    }
    throw new ParameterFormatException(ACCEPTED, text);
  }
}
