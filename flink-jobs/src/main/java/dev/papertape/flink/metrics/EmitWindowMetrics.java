package dev.papertape.flink.metrics;

import dev.papertape.model.MetricWindow;
import dev.papertape.model.WindowMetrics;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Emits the finished (or, with allowed lateness, updated) metrics of one symbol's window. */
public class EmitWindowMetrics
    extends ProcessWindowFunction<MetricsAccumulator, WindowMetrics, String, TimeWindow> {
  private static final long serialVersionUID = 1L;

  private final MetricWindow window;

  public EmitWindowMetrics(MetricWindow window) {
    this.window = window;
  }

  @Override
  public void process(
      String symbol,
      Context ctx,
      Iterable<MetricsAccumulator> aggregates,
      Collector<WindowMetrics> out) {
    MetricsAccumulator acc = aggregates.iterator().next();
    out.collect(
        WindowMetricsCalculator.metrics(
            symbol, window, ctx.window().getStart(), ctx.window().getEnd(), acc));
  }
}
