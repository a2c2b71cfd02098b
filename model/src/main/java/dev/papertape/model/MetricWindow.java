package dev.papertape.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The tumbling window sizes the metrics job computes; the label is the wire and SQL form. */
public enum MetricWindow {
  S1("1s", Duration.ofSeconds(1)),
  M1("1m", Duration.ofMinutes(1)),
  M5("5m", Duration.ofMinutes(5)),
  H1("1h", Duration.ofHours(1)),
  D1("1d", Duration.ofDays(1));

  private final String label;
  private final Duration size;

  MetricWindow(String label, Duration size) {
    this.label = label;
    this.size = size;
  }

  @JsonValue
  public String label() {
    return label;
  }

  public Duration size() {
    return size;
  }

  /** Parses a label such as {@code 1m}; never returns {@code null}. */
  public static MetricWindow parse(String label) {
    String s = TextFields.trimmedIfClean(label);
    for (MetricWindow w : values()) {
      if (w.label.equalsIgnoreCase(s)) {
        return w;
      }
    }
    throw new InvalidRecordException(
        "window", TextFields.quote(label) + " is not a window; accepted: " + labels());
  }

  /** All labels, comma-separated, for error messages and docs. */
  public static String labels() {
    return Arrays.stream(values()).map(MetricWindow::label).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return label;
  }
}
