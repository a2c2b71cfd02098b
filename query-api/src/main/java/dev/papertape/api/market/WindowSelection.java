package dev.papertape.api.market;

import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.MetricWindow;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The window sizes a client asked for ({@code ?window=1m,5m}): each once, smallest first.
 *
 * @param windows at least one
 */
public record WindowSelection(List<MetricWindow> windows) {
  public WindowSelection {
    windows = List.copyOf(windows);
  }

  /**
   * Reads comma-separated labels.
   *
   * @throws InvalidRecordException naming the {@code window} parameter for a label that is not a
   *     window size (an empty one included)
   */
  public static WindowSelection parse(String text) {
    return new WindowSelection(
        Arrays.stream(text.split(","))
            .map(MetricWindow::parse)
            .distinct()
            .sorted(Comparator.comparing(MetricWindow::size))
            .toList());
  }

  /** The labels, comma-separated, for a link to the next page. */
  public String labels() {
    return windows.stream().map(MetricWindow::label).collect(Collectors.joining(","));
  }
}
