package dev.papertape.ledger.performance;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /portfolio/performance}: every statistic of {@link Performance.Stats} over the current
 * epoch, ratios as JSON numbers with {@value Performance#SCALE} decimals (a fraction: 0.05 is 5%),
 * money as exact JSON numbers like the rest of the portfolio API, {@code null} where a statistic is
 * not defined for this history; and the definitions by name (the README's "Performance").
 *
 * @param valuations how many valuations the statistics saw: the epoch's start, its snapshots and
 *     the live valuation
 */
public record PerformanceReport(
    long portfolioId,
    int epoch,
    Instant from,
    Instant to,
    BigDecimal startValue,
    BigDecimal endValue,
    BigDecimal totalReturn,
    BigDecimal annualizedReturn,
    Performance.Drawdown maxDrawdown,
    BigDecimal sharpe,
    BigDecimal sortino,
    int roundTrips,
    BigDecimal winRate,
    BigDecimal profitFactor,
    BigDecimal exposure,
    int fills,
    int valuations,
    Map<String, String> definitions) {

  /** Each statistic's definition, as {@link Performance}'s javadoc and the README state it. */
  public static final Map<String, String> DEFINITIONS = buildDefinitions();

  private static Map<String, String> buildDefinitions() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put(
        "valuations",
        "V_0 = starting cash at the epoch's start (init or reset), then every snapshot, then the"
            + " value now");
    d.put("totalReturn", "V_last / V_first - 1");
    d.put(
        "annualizedReturn",
        "(1 + totalReturn)^(365.25 days / elapsed) - 1; null under one day of history");
    d.put(
        "maxDrawdown",
        "max over t of (peak before t - V_t) / peak, with the peak's and the trough's times");
    d.put(
        "sharpe",
        "mean(r) / sample stdev(r) x sqrt(intervals per year), r_i = V_i / V_(i-1) - 1,"
            + " risk-free rate 0, intervals per year from the median spacing; null under 2"
            + " returns or with no variation");
    d.put(
        "sortino",
        "mean(r) / sqrt(sum(min(r, 0)^2) / n) x sqrt(intervals per year); null without a"
            + " negative return");
    d.put(
        "roundTrips",
        "closed round trips: a symbol's position from flat to flat (a reversal closes one and"
            + " opens the next); P&L = realised P&L of its fills - their commissions");
    d.put("winRate", "round trips with P&L > 0 / round trips; null without one");
    d.put("profitFactor", "sum of winning P&L / |sum of losing P&L|; null without a loss");
    d.put("exposure", "valuations with an open position / valuations");
    d.put("fills", "fills of the epoch");
    return java.util.Collections.unmodifiableMap(d);
  }

  public static PerformanceReport of(
      long portfolioId, int epoch, int valuations, Performance.Stats s) {
    return new PerformanceReport(
        portfolioId,
        epoch,
        s.from(),
        s.to(),
        s.startValue(),
        s.endValue(),
        s.totalReturn(),
        s.annualizedReturn(),
        s.maxDrawdown(),
        s.sharpe(),
        s.sortino(),
        s.roundTrips(),
        s.winRate(),
        s.profitFactor(),
        s.exposure(),
        s.fills(),
        valuations,
        DEFINITIONS);
  }
}
