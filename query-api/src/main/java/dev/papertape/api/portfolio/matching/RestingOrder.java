package dev.papertape.api.portfolio.matching;

import dev.papertape.api.portfolio.OrderStatus;
import dev.papertape.api.portfolio.OrderType;
import dev.papertape.ledger.Side;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * What the matcher needs of a resting order (a row of {@code orders}).
 *
 * @param triggeredAt for a STOP or STOP_LIMIT: the time of the trade that reached its stop, or null
 * @param expiresAt for a DAY order: the end of its UTC day; null for GTC
 */
public record RestingOrder(
    UUID id,
    long portfolioId,
    int epoch,
    String symbol,
    Side side,
    OrderType type,
    long quantity,
    long filledQuantity,
    BigDecimal limitPrice,
    BigDecimal stopPrice,
    OrderStatus status,
    Instant triggeredAt,
    Instant createdAt,
    Instant expiresAt) {

  /** The columns {@link #read} reads. */
  public static final String COLUMNS =
      "id, portfolio_id, epoch, symbol, side, type, quantity, filled_quantity, limit_price,"
          + " stop_price, status, triggered_at, created_at, expires_at";

  public long remaining() {
    return quantity - filledQuantity;
  }

  /** Reads a row selected with {@link #COLUMNS}. */
  public static RestingOrder read(Readable r) {
    return new RestingOrder(
        r.get("id", UUID.class),
        r.get("portfolio_id", Long.class),
        r.get("epoch", Integer.class),
        r.get("symbol", String.class),
        Side.valueOf(r.get("side", String.class)),
        OrderType.valueOf(r.get("type", String.class)),
        r.get("quantity", Long.class),
        r.get("filled_quantity", Long.class),
        r.get("limit_price", BigDecimal.class),
        r.get("stop_price", BigDecimal.class),
        OrderStatus.valueOf(r.get("status", String.class)),
        instant(r, "triggered_at"),
        instant(r, "created_at"),
        instant(r, "expires_at"));
  }

  private static Instant instant(Readable r, String column) {
    OffsetDateTime t = r.get(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
