package dev.papertape.api.portfolio;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The market trade a market order fills against.
 *
 * @param tradeId the trade's {@code trade_id}; {@value #STREAM_ONLY} when the trade was seen on the
 *     stream but is not in the {@code trades} table yet
 */
record MarketPrice(String symbol, BigDecimal price, Instant ts, String tradeId) {
  static final String STREAM_ONLY = "stream";
}
