package dev.papertape.flink.metrics;

import dev.papertape.model.Trade;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Emits each symbol the first time a trade of it is seen (keyed state: one flag per symbol), so the
 * {@code symbols} table learns symbols that are not seeded (e.g. a feed configured with other
 * tickers) and the API can serve them. Idempotent downstream: the insert ignores known symbols, and
 * registers none once the table holds {@code PAPERTAPE_MAX_SYMBOLS}. The flag expires after a day,
 * so a flood of made-up symbols cannot grow this state for ever.
 */
public class RegisterNewSymbols extends KeyedProcessFunction<String, Trade, String> {
  private static final long serialVersionUID = 1L;

  private transient ValueState<Boolean> seen;

  @Override
  public void open(OpenContext ctx) {
    ValueStateDescriptor<Boolean> d = new ValueStateDescriptor<>("seen", Types.BOOLEAN);
    // bounded state under a flood of made-up symbols: a symbol is offered again after a day
    // (harmless: the insert ignores known symbols)
    d.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofDays(1)).build());
    seen = getRuntimeContext().getState(d);
  }

  @Override
  public void processElement(Trade trade, Context ctx, Collector<String> out) throws Exception {
    if (seen.value() == null) {
      seen.update(Boolean.TRUE);
      out.collect(trade.symbol());
    }
  }
}
