package dev.papertape.api.portfolio;

/** How an order is priced. */
public enum OrderType {
  /** Fills at once at the latest trade price (plus slippage and commission), in full. */
  MARKET,
  /** Rests until a later trade reaches the limit price. */
  LIMIT,
  /** Rests until a later trade reaches the stop price, then acts as a market order. */
  STOP,
  /** Rests until a later trade reaches the stop price, then acts as a limit order. */
  STOP_LIMIT;

  public boolean hasLimitPrice() {
    return this == LIMIT || this == STOP_LIMIT;
  }

  public boolean hasStopPrice() {
    return this == STOP || this == STOP_LIMIT;
  }
}
