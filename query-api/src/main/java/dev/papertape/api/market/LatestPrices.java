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
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The newest trade price per symbol, fed by the API's {@code trades} consumer (see {@code
 * stream/}). An out-of-order trade never replaces a newer one, and a trade from the future (dated
 * more than {@code PAPERTAPE_MAX_CLOCK_SKEW} ahead of now) is never taken: it is counted in {@code
 * papertape_prices_future_ignored_total} instead.
 *
 * <p>It keeps the whole latest trade, so a market fill names the trade that priced it ({@link
 * #latestTrade}), and it passes every trade it takes on to {@link #trades()} subscribers (the
 * resting-order matcher), in the order the consumer read them.
 */
@Component
public class LatestPrices {
  private final Map<String, Trade> latest = new ConcurrentHashMap<>();

  /** Taken trades for live subscribers; each subscriber brings its own bounded buffer. */
  private final Sinks.Many<Trade> taken = Sinks.many().multicast().directBestEffort();

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
    latest.merge(t.symbol(), t, (old, now) -> now.ts().isBefore(old.ts()) ? old : now);
    synchronized (taken) {
      // no subscriber, or one whose buffer is full (it counts its own drops): nothing to do here
      taken.tryEmitNext(t);
    }
    return true;
  }

  public Optional<MarketRepository.PricePoint> get(String symbol) {
    return latestTrade(symbol).map(t -> new MarketRepository.PricePoint(t.price(), t.ts()));
  }

  /** The newest trade taken for the symbol, with its id. */
  public Optional<Trade> latestTrade(String symbol) {
    return Optional.ofNullable(latest.get(symbol));
  }

  /**
   * Every trade taken from now on (also out-of-order ones, which do not change the latest price),
   * delivered on the consumer's thread: a subscriber must not block, and should buffer (bounded).
   */
  public Flux<Trade> trades() {
    return taken.asFlux();
  }
}
