package dev.papertape.flink.metrics;

import dev.papertape.model.Trade;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Incrementally aggregates a window's trades into a {@link MetricsAccumulator} (O(1) state). */
public class TradeAggregator
    implements AggregateFunction<Trade, MetricsAccumulator, MetricsAccumulator> {
  private static final long serialVersionUID = 1L;

  @Override
  public MetricsAccumulator createAccumulator() {
    return new MetricsAccumulator();
  }

  @Override
  public MetricsAccumulator add(Trade trade, MetricsAccumulator acc) {
    return acc.add(trade);
  }

  @Override
  public MetricsAccumulator getResult(MetricsAccumulator acc) {
    return acc;
  }

  @Override
  public MetricsAccumulator merge(MetricsAccumulator a, MetricsAccumulator b) {
    return a.merge(b);
  }
}
