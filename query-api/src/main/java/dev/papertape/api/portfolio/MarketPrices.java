package dev.papertape.api.portfolio;

import dev.papertape.api.config.ClockProperties;
import dev.papertape.api.market.LatestPrices;
import dev.papertape.model.Trade;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The latest trade of a symbol for a market order: the newer of the API's stream view ({@link
 * LatestPrices}) and the newest row of {@code trades} (which also names the trade), never a trade
 * from the future; older than {@code PAPERTAPE_MAX_PRICE_AGE}, or none at all: 409 stale-price.
 */
@Component
class MarketPrices {
  static final String LATEST =
      "SELECT price, ts, trade_id FROM trades WHERE symbol = $1 AND ts <= $2"
          + " ORDER BY ts DESC LIMIT 1";

  private final DatabaseClient db;
  private final LatestPrices stream;
  private final Clock clock;
  private final ClockProperties time;

  MarketPrices(DatabaseClient db, LatestPrices stream, Clock clock, ClockProperties time) {
    this.db = db;
    this.stream = stream;
    this.clock = clock;
    this.time = time;
  }

  /**
   * The latest trade, no older than {@code maxAge}; a 409 stale-price problem otherwise. A trade of
   * the stream view within {@code maxAge} is taken without a database round trip (the stream reads
   * {@code trades} directly, ahead of the job that stores them); otherwise the newer of the
   * stream's and the newest stored trade decides.
   */
  Mono<MarketPrice> fresh(String symbol, Duration maxAge) {
    Optional<Trade> seen = stream.latestTrade(symbol);
    if (seen.isPresent()) {
      Trade t = seen.get();
      Duration age = Duration.between(t.ts(), clock.instant());
      if (age.compareTo(maxAge) <= 0 && !t.ts().isAfter(time.horizon(clock))) {
        return Mono.just(new MarketPrice(symbol, t.price(), t.ts(), t.tradeId()));
      }
    }
    return latest(symbol)
        .map(Optional::of)
        .defaultIfEmpty(Optional.empty())
        .flatMap(
            found -> {
              Instant now = clock.instant();
              if (found.isEmpty()) {
                return Mono.error(
                    PortfolioProblems.stalePrice(
                        "No trade of " + symbol + " has been seen yet; a market order needs one."));
              }
              MarketPrice p = found.get();
              Duration age = Duration.between(p.ts(), now);
              if (age.compareTo(maxAge) > 0) {
                return Mono.error(
                    PortfolioProblems.stalePrice(
                        "The latest trade of "
                            + symbol
                            + " is "
                            + age.toMillis()
                            + " ms old, more than the "
                            + maxAge.toMillis()
                            + " ms PAPERTAPE_MAX_PRICE_AGE allows; nothing was stored."));
              }
              return Mono.just(p);
            });
  }

  /** The latest trade of the symbol, if any. */
  Mono<MarketPrice> latest(String symbol) {
    Optional<Trade> seen = stream.latestTrade(symbol);
    return db.sql(LATEST)
        .bind(0, symbol)
        .bind(1, time.horizon(clock).atOffset(ZoneOffset.UTC))
        .map(
            r ->
                new MarketPrice(
                    symbol,
                    r.get("price", BigDecimal.class),
                    r.get("ts", OffsetDateTime.class).toInstant(),
                    r.get("trade_id", String.class)))
        .one()
        .map(Optional::of)
        .defaultIfEmpty(Optional.empty())
        .flatMap(
            stored -> {
              if (seen.isPresent()
                  && (stored.isEmpty() || seen.get().ts().isAfter(stored.get().ts()))) {
                Trade t = seen.get();
                return Mono.just(new MarketPrice(symbol, t.price(), t.ts(), t.tradeId()));
              }
              return Mono.justOrEmpty(stored);
            });
  }
}
