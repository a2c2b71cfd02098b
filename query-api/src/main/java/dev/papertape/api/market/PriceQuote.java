package dev.papertape.api.market;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The latest trade price of a symbol.
 *
 * @param ts event time of the trade
 * @param source {@code stream} (the API's Kafka-fed view of {@code trades}) or {@code database}
 *     (the {@code trades} table, when the view has not seen the symbol since the API started)
 * @param ageMillis how old the quote is: now − ts, in milliseconds
 */
public record PriceQuote(
    String symbol, BigDecimal price, Instant ts, String source, long ageMillis) {}
