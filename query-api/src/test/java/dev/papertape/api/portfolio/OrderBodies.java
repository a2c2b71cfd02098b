package dev.papertape.api.portfolio;

/** JSON bodies of {@code POST /portfolio/trade} for the ITs. */
final class OrderBodies {
  private OrderBodies() {}

  /** An order; {@code limit} and {@code stop} are left out when {@code null}. */
  static String order(
      String symbol,
      String side,
      long quantity,
      String type,
      String limit,
      String stop,
      String timeInForce) {
    return "{\"symbol\":\""
        + symbol
        + "\",\"side\":\""
        + side
        + "\",\"quantity\":"
        + quantity
        + ",\"type\":\""
        + type
        + "\""
        + (limit == null ? "" : ",\"limitPrice\":" + limit)
        + (stop == null ? "" : ",\"stopPrice\":" + stop)
        + ",\"timeInForce\":\""
        + timeInForce
        + "\"}";
  }
}
