package dev.papertape.api.portfolio;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The market trade a market order fills against.
 *
 * @param tradeId the trade's {@code trade_id} (from the stream or the {@code trades} table): every
 *     fill names the trade that priced it
 */
record MarketPrice(String symbol, BigDecimal price, Instant ts, String tradeId) {}
