package dev.papertape.api.portfolio;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The portfolio's JSON shapes. Amounts are exact JSON numbers, like prices in the market API. */
final class Views {
  private Views() {}

  /**
   * {@code GET /portfolio}.
   *
   * @param positionsValue Σ marketValue of the positions (negative for shorts)
   * @param totalValue cash + positionsValue
   * @param realisedPnl P&amp;L realised by the fills of this epoch, commissions excluded
   * @param unrealisedPnl Σ unrealisedPnl of the positions
   * @param commissions commissions paid in this epoch
   * @param changeToday totalValue − the value at the start of the UTC day (the last snapshot at or
   *     before midnight; without one, the starting cash of the epoch)
   */
  record Portfolio(
      long id,
      String currency,
      int epoch,
      BigDecimal startingCash,
      BigDecimal cash,
      BigDecimal positionsValue,
      BigDecimal totalValue,
      BigDecimal realisedPnl,
      BigDecimal unrealisedPnl,
      BigDecimal commissions,
      BigDecimal changeToday,
      boolean allowShort,
      Instant createdAt,
      Instant resetAt,
      List<Position> positions) {}

  /**
   * One open position, valued at the latest trade price ({@code lastPrice} null when no trade of
   * the symbol is known: valued at cost).
   *
   * @param marketValue quantity × lastPrice, half-up to the cent (negative for a short)
   * @param unrealisedPnl (lastPrice − avgCost) × quantity, half-up to the cent
   */
  record Position(
      String symbol,
      long quantity,
      BigDecimal avgCost,
      BigDecimal lastPrice,
      Instant lastPriceAt,
      BigDecimal marketValue,
      BigDecimal unrealisedPnl) {}

  /**
   * An order; {@code fills} only on the single-order answers.
   *
   * @param triggeredAt when a market trade reached a STOP or STOP_LIMIT order's stop price (null
   *     until then, and for the other types)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Order(
      UUID id,
      int epoch,
      String symbol,
      String side,
      String type,
      String timeInForce,
      long quantity,
      long filledQuantity,
      BigDecimal limitPrice,
      BigDecimal stopPrice,
      String status,
      String reason,
      String idempotencyKey,
      Instant createdAt,
      Instant updatedAt,
      Instant expiresAt,
      Instant triggeredAt,
      List<Fill> fills) {
    Order withFills(List<Fill> f) {
      return new Order(
          id,
          epoch,
          symbol,
          side,
          type,
          timeInForce,
          quantity,
          filledQuantity,
          limitPrice,
          stopPrice,
          status,
          reason,
          idempotencyKey,
          createdAt,
          updatedAt,
          expiresAt,
          triggeredAt,
          f);
    }
  }

  /** One fill (a row of {@code paper_trades}). */
  record Fill(
      long id,
      UUID orderId,
      int epoch,
      String symbol,
      String side,
      long quantity,
      BigDecimal marketPrice,
      BigDecimal slippage,
      BigDecimal price,
      BigDecimal gross,
      BigDecimal commission,
      BigDecimal cashDelta,
      BigDecimal realisedPnl,
      long positionAfter,
      BigDecimal cashAfter,
      Instant marketTradeTs,
      String marketTradeId,
      Instant filledAt) {}
}
