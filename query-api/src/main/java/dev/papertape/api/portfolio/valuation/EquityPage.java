package dev.papertape.api.portfolio.valuation;

import java.time.Instant;
import java.util.List;

/**
 * One page of the equity curve of the current epoch, oldest first.
 *
 * @param interval the bucket size ({@code 1m}, {@code 5m}, {@code 1h}, {@code 1d}) or {@code null}
 *     for every snapshot
 * @param from inclusive lower bound on {@code ts} that was applied, or {@code null}
 * @param to exclusive upper bound on {@code ts} that was applied, or {@code null}
 * @param next the URL of the next page, or {@code null} when this page is the last
 */
public record EquityPage(
    long portfolioId,
    int epoch,
    String interval,
    Instant from,
    Instant to,
    int limit,
    List<EquityPoint> points,
    String next) {}
