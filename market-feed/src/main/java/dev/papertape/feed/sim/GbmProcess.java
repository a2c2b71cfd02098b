package dev.papertape.feed.sim;

/**
 * The price model of one symbol: geometric Brownian motion, {@code dS = μ S dt + σ S dW}, stepped
 * exactly: {@code S(t+dt) = S(t) × exp((μ − σ²/2) dt + σ √dt Z)} with Z standard normal and dt in
 * years. A model of the market, not money: it holds a {@code double}; trades carry exact prices
 * rounded from it ({@link PriceRounder}).
 */
public final class GbmProcess {
  private final double drift;
  private final double volatility;
  private final double itoDrift;
  private double price;

  /**
   * @param startPrice price at time 0, greater than 0
   * @param drift annualised drift μ
   * @param volatility annualised volatility σ
   */
  public GbmProcess(double startPrice, double drift, double volatility) {
    if (!(startPrice > 0) || !Double.isFinite(startPrice)) {
      throw new IllegalArgumentException("start price must be greater than 0, got " + startPrice);
    }
    this.price = startPrice;
    this.drift = drift;
    this.volatility = volatility;
    this.itoDrift = drift - 0.5 * volatility * volatility;
  }

  /**
   * Advances the price by {@code dtYears} with the standard normal draw {@code z}; returns the new
   * price. A step of 0 (or less) leaves the price as it is.
   */
  public double step(double dtYears, double z) {
    if (dtYears > 0) {
      price *= Math.exp(itoDrift * dtYears + volatility * Math.sqrt(dtYears) * z);
    }
    return price;
  }

  public double price() {
    return price;
  }

  public double drift() {
    return drift;
  }

  public double volatility() {
    return volatility;
  }
}
