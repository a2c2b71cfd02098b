package dev.papertape.feed.sim;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the simulator simulates.
 *
 * @param symbols the symbols and their price models, at least one, no duplicates
 * @param ratePerSymbol mean trades per second of each symbol (Poisson arrivals), greater than 0
 * @param sizes the trade size distribution
 * @param tickSize prices are multiples of it (0.01 = cents)
 * @param outOfOrder which trades get an earlier event time, and by how much
 */
public record SimulatorConfig(
    List<SymbolSpec> symbols,
    double ratePerSymbol,
    SizeDistribution sizes,
    BigDecimal tickSize,
    OutOfOrderShifter outOfOrder) {

  /** The product defaults: AAPL, GOOGL, MSFT, TSLA, 5 trades/s each, cents, in order. */
  public static final SimulatorConfig DEFAULT =
      new SimulatorConfig(
          List.of(
              new SymbolSpec("AAPL", new BigDecimal("190"), 0.05, 0.3),
              new SymbolSpec("GOOGL", new BigDecimal("175"), 0.05, 0.3),
              new SymbolSpec("MSFT", new BigDecimal("420"), 0.05, 0.3),
              new SymbolSpec("TSLA", new BigDecimal("250"), 0.05, 0.3)),
          5.0,
          SizeDistribution.DEFAULT,
          new BigDecimal("0.01"),
          OutOfOrderShifter.NONE);

  public SimulatorConfig {
    symbols = List.copyOf(symbols);
    if (symbols.isEmpty()) {
      throw new IllegalArgumentException("at least one symbol is needed");
    }
    Set<String> seen = new HashSet<>();
    for (SymbolSpec s : symbols) {
      if (!seen.add(s.symbol())) {
        throw new IllegalArgumentException("symbol " + s.symbol() + " is listed twice");
      }
    }
    if (!(ratePerSymbol > 0) || !Double.isFinite(ratePerSymbol)) {
      throw new IllegalArgumentException(
          "rate must be greater than 0 trades per second, got " + ratePerSymbol);
    }
    new PriceRounder(tickSize); // validates the tick size
  }

  public SimulatorConfig withRate(double rate) {
    return new SimulatorConfig(symbols, rate, sizes, tickSize, outOfOrder);
  }

  public SimulatorConfig withOutOfOrder(OutOfOrderShifter shifter) {
    return new SimulatorConfig(symbols, ratePerSymbol, sizes, tickSize, shifter);
  }

  public SimulatorConfig withSymbols(List<SymbolSpec> newSymbols) {
    return new SimulatorConfig(newSymbols, ratePerSymbol, sizes, tickSize, outOfOrder);
  }
}
