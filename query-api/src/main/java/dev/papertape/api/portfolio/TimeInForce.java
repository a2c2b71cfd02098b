package dev.papertape.api.portfolio;

/**
 * How long an order lives. A MARKET order fills in full at once or is refused, whatever its time in
 * force; IOC and FOK are accepted for MARKET orders only (a resting order can never fill at once:
 * it waits for a later trade).
 */
public enum TimeInForce {
  /** Until the end of the UTC day it was placed. */
  DAY,
  /** Until canceled. */
  GTC,
  /** Immediate or cancel. */
  IOC,
  /** Fill or kill. */
  FOK
}
