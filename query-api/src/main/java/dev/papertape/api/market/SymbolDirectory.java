package dev.papertape.api.market;

import dev.papertape.api.problem.Problems;
import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.Symbols;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The tracked symbols ({@code symbols} table), cached for 30 s so that validating a symbol costs no
 * database round trip on hot paths (price, streams); a miss re-reads the table, at most once a
 * second, so a new symbol is known at once and unknown symbols cannot drive database load. While
 * the database is out of reach, {@link #require} still accepts a symbol it knew or the trades
 * stream has priced.
 */
@Component
public class SymbolDirectory {
  private static final Duration TTL = Duration.ofSeconds(30);
  private static final Duration MISS_RELOAD = Duration.ofSeconds(1);

  private record Snapshot(Set<String> symbols, long loadedAtNanos) {}

  private final DatabaseClient db;
  private final LatestPrices latest;
  private final AtomicReference<Snapshot> cache = new AtomicReference<>();

  public SymbolDirectory(DatabaseClient db, LatestPrices latest) {
    this.db = db;
    this.latest = latest;
  }

  private Mono<Set<String>> load() {
    return db.sql("SELECT symbol FROM symbols WHERE active")
        .map(r -> r.get("symbol", String.class))
        .all()
        .collect(java.util.stream.Collectors.toUnmodifiableSet())
        .doOnNext(s -> cache.set(new Snapshot(s, System.nanoTime())));
  }

  private Mono<Set<String>> current() {
    Snapshot s = cache.get();
    if (s != null && System.nanoTime() - s.loadedAtNanos() < TTL.toNanos()) {
      return Mono.just(s.symbols());
    }
    return load();
  }

  /**
   * The canonical symbol if it is tracked; a 404 problem ({@code unknown-symbol}) otherwise,
   * including for text that cannot be a symbol.
   */
  public Mono<String> require(String raw) {
    String symbol;
    try {
      symbol = Symbols.normalize("symbol", raw);
    } catch (InvalidRecordException e) {
      return Mono.error(Problems.unknownSymbol(raw));
    }
    return current()
        .flatMap(s -> s.contains(symbol) || recentlyLoaded() ? Mono.just(s) : load())
        .flatMap(
            s ->
                s.contains(symbol) ? Mono.just(symbol) : Mono.error(Problems.unknownSymbol(symbol)))
        .onErrorResume(
            Problems::databaseUnavailable,
            e -> knownWithoutDatabase(symbol) ? Mono.just(symbol) : Mono.error(e));
  }

  /**
   * While the database is out of reach, a symbol is taken as tracked when the last snapshot of the
   * table (however old) lists it or the trades stream has priced it, so the stream-fed routes
   * (price, SSE, WebSocket) keep serving; any other symbol fails with the database error (503).
   */
  private boolean knownWithoutDatabase(String symbol) {
    Snapshot s = cache.get();
    return (s != null && s.symbols().contains(symbol)) || latest.get(symbol).isPresent();
  }

  private boolean recentlyLoaded() {
    Snapshot s = cache.get();
    return s != null && System.nanoTime() - s.loadedAtNanos() < MISS_RELOAD.toNanos();
  }

  /** All tracked symbols. */
  public Mono<Set<String>> all() {
    return current();
  }
}
