package dev.papertape.api.portfolio.valuation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How often the portfolios are valued into {@code portfolio_snapshots}, validated at start (a bad
 * setting stops the API with a message naming the variable and the accepted values).
 *
 * @param interval {@code PAPERTAPE_SNAPSHOT_INTERVAL} (default 60s): 0 turns the snapshots off
 *     (this instance writes none; another instance may); otherwise between 1s and 1d. Every
 *     instance must use the same interval: a snapshot's {@code ts} is the start of its interval,
 *     counted from the Unix epoch, and that is what makes two instances write each interval once.
 */
@ConfigurationProperties("papertape.portfolio.snapshots")
public record SnapshotProperties(Duration interval) {
  static final Duration DEFAULT = Duration.ofSeconds(60);
  static final Duration MIN = Duration.ofSeconds(1);
  static final Duration MAX = Duration.ofDays(1);

  public SnapshotProperties {
    if (interval == null) {
      interval = DEFAULT;
    }
    if (!interval.isZero() && (interval.compareTo(MIN) < 0 || interval.compareTo(MAX) > 0)) {
      throw new IllegalArgumentException(
          "PAPERTAPE_SNAPSHOT_INTERVAL must be 0 (off) or between 1s and 1d, got " + interval);
    }
  }

  /** Whether this instance writes snapshots. */
  public boolean enabled() {
    return !interval.isZero();
  }
}
