package dev.papertape.ledger;

/** The side of an order or fill. */
public enum Side {
  BUY,
  SELL;

  /** +1 for a buy (shares come in), −1 for a sell. */
  public long sign() {
    return this == BUY ? 1 : -1;
  }
}
