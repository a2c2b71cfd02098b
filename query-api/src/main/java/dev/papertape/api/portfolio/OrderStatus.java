package dev.papertape.api.portfolio;

/** The life of an order. */
public enum OrderStatus {
  ACCEPTED,
  PARTIALLY_FILLED,
  FILLED,
  CANCELED,
  REJECTED,
  EXPIRED;

  /** Whether the order still rests (may fill, may be canceled). */
  public boolean open() {
    return this == ACCEPTED || this == PARTIALLY_FILLED;
  }
}
