package dev.papertape.flink.signals;

import dev.papertape.model.DeadLetter;
import dev.papertape.model.WindowMetrics;

/**
 * What the Kafka source makes of one {@code aggregated-metrics} record: either a valid {@link
 * WindowMetrics} or the bounded {@link DeadLetter} saying why it was rejected, routed to the
 * dead-letter topic by {@link RouteInvalidMetrics}. A Flink POJO.
 */
public class ParsedMetric {
  public WindowMetrics metric;
  public DeadLetter rejected;

  public ParsedMetric() {}

  public static ParsedMetric valid(WindowMetrics metric) {
    ParsedMetric r = new ParsedMetric();
    r.metric = metric;
    return r;
  }

  public static ParsedMetric invalid(DeadLetter rejected) {
    ParsedMetric r = new ParsedMetric();
    r.rejected = rejected;
    return r;
  }

  public boolean isValid() {
    return metric != null;
  }
}
