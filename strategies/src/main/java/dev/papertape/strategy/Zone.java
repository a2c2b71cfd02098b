package dev.papertape.strategy;

/** Where a value stands against a band: below it, inside it, above it. */
public enum Zone {
  NONE,
  BELOW,
  ABOVE;

  static Zone of(int code, String what) {
    if (code < 0 || code >= values().length) {
      throw new StateFormatException(what + ": damaged state (zone " + code + ")");
    }
    return values()[code];
  }
}
