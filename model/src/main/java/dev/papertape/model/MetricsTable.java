package dev.papertape.model;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code aggregated_metrics} table ({@code sql/migrations}) as the statements that write and
 * read it name it: one place for its column list, in the order of {@link WindowMetrics}' fields.
 */
public final class MetricsTable {
  public static final String NAME = "aggregated_metrics";

  /** The key: one row per symbol, window size and window start. */
  public static final List<String> KEY = List.of("symbol", "\"window\"", "window_start");

  /** Every column that holds a {@link WindowMetrics}, in its field order (the key first). */
  public static final List<String> COLUMNS =
      List.of(
          "symbol",
          "\"window\"",
          "window_start",
          "window_end",
          "open",
          "high",
          "low",
          "close",
          "volume",
          "vwap",
          "trade_count",
          "price_range");

  private MetricsTable() {}

  /** {@link #COLUMNS} as a select or insert list. */
  public static String columnList() {
    return String.join(", ", COLUMNS);
  }

  /** {@code ?, ?, …} for the columns. */
  public static String placeholders() {
    return COLUMNS.stream().map(c -> "?").collect(Collectors.joining(", "));
  }

  /** {@code c = EXCLUDED.c, …} for every column outside the key. */
  public static String updateFromExcluded() {
    return COLUMNS.stream()
        .filter(c -> !KEY.contains(c))
        .map(c -> c + " = EXCLUDED." + c)
        .collect(Collectors.joining(", "));
  }
}
