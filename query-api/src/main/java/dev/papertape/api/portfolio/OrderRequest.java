package dev.papertape.api.portfolio;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.papertape.ledger.Side;
import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.Prices;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * A validated {@code POST /portfolio/trade} body; the symbol is checked against the tracked ones
 * afterwards ({@code SymbolDirectory}, 404 unknown-symbol).
 *
 * @param quantity whole shares, 1 to {@value #MAX_QUANTITY}
 * @param limitPrice required for LIMIT and STOP_LIMIT, refused otherwise
 * @param stopPrice required for STOP and STOP_LIMIT, refused otherwise
 */
public record OrderRequest(
    String symbol,
    Side side,
    long quantity,
    OrderType type,
    BigDecimal limitPrice,
    BigDecimal stopPrice,
    TimeInForce timeInForce) {
  public static final long MAX_QUANTITY = 1_000_000_000L;

  static final Set<String> FIELDS =
      Set.of("symbol", "side", "quantity", "type", "limitPrice", "stopPrice", "timeInForce");

  /** Parses and validates a body; a 400 invalid-parameter problem naming the field otherwise. */
  static OrderRequest parse(String body) {
    ObjectNode o = RequestBodies.object(body, FIELDS);
    String symbol = RequestBodies.text(o, "symbol", true);
    Side side = RequestBodies.enumValue(o, "side", Side.class, null);
    long quantity = RequestBodies.wholeNumber(o, "quantity", 1, MAX_QUANTITY);
    OrderType type = RequestBodies.enumValue(o, "type", OrderType.class, null);
    TimeInForce tif = RequestBodies.enumValue(o, "timeInForce", TimeInForce.class, TimeInForce.DAY);
    BigDecimal limit = price(o, "limitPrice", type.hasLimitPrice(), type);
    BigDecimal stop = price(o, "stopPrice", type.hasStopPrice(), type);
    if (type != OrderType.MARKET && (tif == TimeInForce.IOC || tif == TimeInForce.FOK)) {
      throw RequestBodies.invalid(
          "timeInForce",
          "'timeInForce' " + tif + " is accepted for MARKET orders only; use DAY or GTC.");
    }
    return new OrderRequest(symbol, side, quantity, type, limit, stop, tif);
  }

  private static BigDecimal price(ObjectNode o, String name, boolean required, OrderType type) {
    BigDecimal v = RequestBodies.decimal(o, name);
    if (v == null && required) {
      throw RequestBodies.invalid(name, "'" + name + "' is required for a " + type + " order.");
    }
    if (v != null && !required) {
      throw RequestBodies.invalid(name, "'" + name + "' is not accepted for a " + type + " order.");
    }
    if (v == null) {
      return null;
    }
    try {
      return Prices.canonical(name, v);
    } catch (InvalidRecordException e) {
      throw RequestBodies.invalid(name, e.getMessage() + ".");
    }
  }

  /** This request with the canonical symbol. */
  OrderRequest withSymbol(String canonical) {
    return new OrderRequest(canonical, side, quantity, type, limitPrice, stopPrice, timeInForce);
  }

  /**
   * SHA-256 (hex) of the request's canonical form: the same order asked twice hashes the same
   * whatever the JSON's spacing, field order or number spelling ({@code 10.50} = {@code 10.5}).
   */
  String hash() {
    String canonical =
        String.join(
            "|",
            symbol,
            side.name(),
            Long.toString(quantity),
            type.name(),
            limitPrice == null ? "" : limitPrice.toPlainString(),
            stopPrice == null ? "" : stopPrice.toPlainString(),
            timeInForce.name());
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  /** The Idempotency-Key header: 1-128 printable ASCII characters, or absent. */
  static String idempotencyKey(String header) {
    if (header == null) {
      return null;
    }
    boolean ok = !header.isEmpty() && header.length() <= 128;
    for (int i = 0; ok && i < header.length(); i++) {
      char c = header.charAt(i);
      ok = c >= 0x20 && c <= 0x7e;
    }
    if (!ok) {
      throw RequestBodies.invalid(
          "Idempotency-Key",
          "The Idempotency-Key header must be 1-128 printable ASCII characters.");
    }
    return header;
  }
}
