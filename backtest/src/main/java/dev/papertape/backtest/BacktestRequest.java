package dev.papertape.backtest;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * One backtest, validated by {@link Backtest#prepare}.
 *
 * @param strategy a type of {@link dev.papertape.strategy.StrategyTypes}, or {@code price-drop}
 *     (the signals job's CEP pattern: parameters {@code dropPct} and {@code within})
 * @param id the instance id: the signals' {@code source} and part of their ids (the same id as a
 *     live instance gives the same signal ids)
 * @param params the strategy's parameters as given ({@code --param k=v}, {@code --window})
 * @param symbols the symbols it runs on; empty: all
 * @param file the input, validated
 * @param startCash the paper cash at the start
 * @param sizing how much each signal trades
 */
public record BacktestRequest(
    String strategy,
    String id,
    Map<String, String> params,
    List<String> symbols,
    TradeFile file,
    BigDecimal startCash,
    SizingRule sizing) {

  public BacktestRequest {
    params = Map.copyOf(params);
    symbols = List.copyOf(symbols);
  }
}
