package dev.papertape.flink.metrics;

import dev.papertape.flink.io.LateTrade;
import dev.papertape.model.MetricWindow;
import dev.papertape.model.Trade;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/**
 * Labels the late trades of one window size and counts them in the metric {@code lateTrades}
 * (operator scope, one operator per window size), so late data is visible, never silently lost.
 */
public class CountLateTrades extends RichMapFunction<Trade, LateTrade> {
  private static final long serialVersionUID = 1L;

  private final MetricWindow window;
  private transient Counter late;

  public CountLateTrades(MetricWindow window) {
    this.window = window;
  }

  @Override
  public void open(OpenContext ctx) {
    late =
        getRuntimeContext()
            .getMetricGroup()
            .addGroup("window", window.label())
            .counter("lateTrades");
  }

  @Override
  public LateTrade map(Trade trade) {
    late.inc();
    return new LateTrade(window, trade);
  }
}
