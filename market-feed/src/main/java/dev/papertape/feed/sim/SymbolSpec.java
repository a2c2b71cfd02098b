package dev.papertape.feed.sim;

import dev.papertape.model.Prices;
import dev.papertape.model.Symbols;
import java.math.BigDecimal;

/**
 * One simulated symbol: its geometric Brownian motion parameters.
 *
 * @param symbol canonical ticker
 * @param startPrice price at the start of the run
 * @param drift annualised drift μ (0.05 = 5% a year)
 * @param volatility annualised volatility σ (0.3 = 30% a year), at least 0
 */
public record SymbolSpec(String symbol, BigDecimal startPrice, double drift, double volatility) {
  public SymbolSpec {
    symbol = Symbols.normalize("symbol", symbol);
    startPrice = Prices.canonical("startPrice", startPrice);
    if (!Double.isFinite(drift)) {
      throw new IllegalArgumentException("drift must be a finite number, got " + drift);
    }
    if (!(volatility >= 0) || !Double.isFinite(volatility)) {
      throw new IllegalArgumentException("volatility must be at least 0, got " + volatility);
    }
  }
}
