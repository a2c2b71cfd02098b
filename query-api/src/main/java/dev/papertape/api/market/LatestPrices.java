package dev.papertape.api.market;

import dev.papertape.api.config.ClockProperties;
import dev.papertape.model.Trade;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The newest trade price per symbol, fed by the API's {@code trades} consumer (see {@code
 * stream/}). An out-of-order trade never replaces a newer one, and a trade from the future (dated
 * more than {@code PAPERTAPE_MAX_CLOCK_SKEW} ahead of now) is never taken: it is counted in {@code
 * papertape_prices_future_ignored_total} instead.
 */
@Component
public class LatestPrices {
  private final Map<String, MarketRepository.PricePoint> latest = new ConcurrentHashMap<>();
  private final Clock clock;
  private final ClockProperties time;
  private final Counter future;

  public LatestPrices(Clock clock, ClockProperties time, MeterRegistry registry) {
    this.clock = clock;
    this.time = time;
    this.future =
        Counter.builder("papertape.prices.future.ignored")
            .description(
                "Trades not taken as latest price: dated beyond PAPERTAPE_MAX_CLOCK_SKEW ahead")
            .register(registry);
  }

  /**
   * Takes the trade's price unless a newer trade of the symbol is known.
   *
   * @return {@code false} when the trade is from the future (ignored and counted)
   */
  public boolean update(Trade t) {
    if (t.ts().isAfter(time.horizon(clock))) {
      future.increment();
      return false;
    }
    latest.merge(
        t.symbol(),
        new MarketRepository.PricePoint(t.price(), t.ts()),
        (old, now) -> now.ts().isBefore(old.ts()) ? old : now);
    return true;
  }

  public Optional<MarketRepository.PricePoint> get(String symbol) {
    return Optional.ofNullable(latest.get(symbol));
  }
}
