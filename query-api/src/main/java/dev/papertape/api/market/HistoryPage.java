package dev.papertape.api.market;

import dev.papertape.model.WindowMetrics;
import java.time.Instant;
import java.util.List;

/**
 * One page of OHLCV/VWAP bars of a symbol and window size.
 *
 * @param order {@code desc} (newest first, the default) or {@code asc}
 * @param from inclusive lower bound on {@code windowStart} that was applied, or {@code null}
 * @param to exclusive upper bound on {@code windowStart} that was applied, or {@code null}
 * @param next the URL of the next page (same query, bound moved past this page), or {@code null}
 *     when this page is the last
 */
public record HistoryPage(
    String symbol,
    String window,
    String order,
    Instant from,
    Instant to,
    int limit,
    List<WindowMetrics> bars,
    String next) {}
