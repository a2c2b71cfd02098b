package dev.papertape.api.market;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A tracked symbol with its latest trade and its change since the first trade of that trade's UTC
 * day. Price fields are {@code null} while no trade was seen.
 *
 * @param dayChangePercent (lastPrice − dayOpen) / dayOpen × 100, 4 decimals half-up
 */
public record SymbolSummary(
    String symbol,
    String name,
    String exchange,
    String currency,
    BigDecimal lastPrice,
    Instant lastTradeAt,
    BigDecimal dayOpen,
    BigDecimal dayChange,
    BigDecimal dayChangePercent) {}
