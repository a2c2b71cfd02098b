package dev.papertape.api.portfolio;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The live portfolio channel ({@code /stream/portfolio}, {@code /ws/portfolio}), validated at start
 * (a bad setting stops the API with a message naming the variable and the accepted values).
 *
 * @param valuationInterval {@code PAPERTAPE_PORTFOLIO_VALUATION_INTERVAL} (100ms-1h, default 1s): a
 *     subscriber gets at most one {@code valuation} event per interval (the newest one; the first
 *     at once), and only when a value changed
 */
@ConfigurationProperties("papertape.portfolio.stream")
public record PortfolioStreamProperties(Duration valuationInterval) {
  static final Duration DEFAULT = Duration.ofSeconds(1);

  public PortfolioStreamProperties {
    if (valuationInterval == null) {
      valuationInterval = DEFAULT;
    }
    if (valuationInterval.compareTo(Duration.ofMillis(100)) < 0
        || valuationInterval.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException(
          "PAPERTAPE_PORTFOLIO_VALUATION_INTERVAL must be between 100ms and 1h, got "
              + valuationInterval);
    }
  }
}
