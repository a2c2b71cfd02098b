package dev.papertape.api.portfolio.matching;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How far the resting-order catch-up ({@link RestingOrderCatchUp}) looks back, validated at start
 * (a bad setting stops the API with a message naming the variable and the accepted values).
 *
 * @param maxAge {@code PAPERTAPE_MATCHER_CATCHUP_MAX_AGE} (0 to 7d, default 1d): stored trades
 *     older than this are never offered; 0 turns the catch-up off
 * @param pageSize {@code PAPERTAPE_MATCHER_CATCHUP_PAGE_SIZE} (1-10000, default 500): stored trades
 *     read per query
 * @param maxTrades {@code PAPERTAPE_MATCHER_CATCHUP_MAX_TRADES} (1-10000000, default 100000):
 *     stored trades offered per pass at most; the rest are skipped (logged, counted in {@code
 *     papertape_matcher_catchup_truncated_total})
 */
@ConfigurationProperties("papertape.matcher.catchup")
public record CatchUpProperties(Duration maxAge, Integer pageSize, Integer maxTrades) {
  static final Duration MAX_AGE = Duration.ofDays(7);

  public CatchUpProperties {
    if (maxAge == null) {
      maxAge = Duration.ofDays(1);
    }
    if (maxAge.isNegative() || maxAge.compareTo(MAX_AGE) > 0) {
      throw new IllegalArgumentException(
          "PAPERTAPE_MATCHER_CATCHUP_MAX_AGE must be between 0 (off) and 7d, got " + maxAge);
    }
    pageSize = range("PAPERTAPE_MATCHER_CATCHUP_PAGE_SIZE", pageSize, 500, 10_000);
    maxTrades = range("PAPERTAPE_MATCHER_CATCHUP_MAX_TRADES", maxTrades, 100_000, 10_000_000);
  }

  /** Whether the catch-up runs at all. */
  public boolean enabled() {
    return !maxAge.isZero();
  }

  private static int range(String name, Integer value, int dflt, int max) {
    int v = value == null ? dflt : value;
    if (v < 1 || v > max) {
      throw new IllegalArgumentException(
          name + " must be a whole number between 1 and " + max + ", got " + v);
    }
    return v;
  }
}
