package dev.papertape.flink.metrics;

import dev.papertape.model.Trade;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Emits each symbol the first time a trade of it is seen (keyed state: one flag per symbol), so the
 * {@code symbols} table learns symbols that are not seeded (e.g. a feed configured with other
 * tickers) and the API can serve them. Idempotent downstream: the insert ignores known symbols.
 */
public class RegisterNewSymbols extends KeyedProcessFunction<String, Trade, String> {
  private static final long serialVersionUID = 1L;

  private transient ValueState<Boolean> seen;

  @Override
  public void open(OpenContext ctx) {
    seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Types.BOOLEAN));
  }

  @Override
  public void processElement(Trade trade, Context ctx, Collector<String> out) throws Exception {
    if (seen.value() == null) {
      seen.update(Boolean.TRUE);
      out.collect(trade.symbol());
    }
  }
}
