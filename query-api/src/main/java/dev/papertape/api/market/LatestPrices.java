package dev.papertape.api.market;

import dev.papertape.model.Trade;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The newest trade price per symbol, fed by the API's {@code trades} consumer (see {@code
 * stream/}). An out-of-order trade never replaces a newer one.
 */
@Component
public class LatestPrices {
  private final Map<String, MarketRepository.PricePoint> latest = new ConcurrentHashMap<>();

  public void update(Trade t) {
    latest.merge(
        t.symbol(),
        new MarketRepository.PricePoint(t.price(), t.ts()),
        (old, now) -> now.ts().isBefore(old.ts()) ? old : now);
  }

  public Optional<MarketRepository.PricePoint> get(String symbol) {
    return Optional.ofNullable(latest.get(symbol));
  }
}
