package dev.papertape.testing;

import dev.papertape.model.Trade;
import java.math.BigDecimal;
import java.time.Instant;

/** A tiny DSL for test trades: {@code trade("AAPL", "189.42", 100, "2026-11-24T14:30:00.123Z")}. */
public final class TradeFixtures {
  private static int seq;

  private TradeFixtures() {}

  public static Trade trade(String symbol, String price, long size, String isoTs) {
    return trade(symbol, price, size, Instant.parse(isoTs));
  }

  public static synchronized Trade trade(String symbol, String price, long size, Instant ts) {
    return new Trade(symbol, new BigDecimal(price), size, ts, "t-" + (++seq), "test");
  }

  /**
   * A valid symbol no other test (or test run) uses: tests share one database and isolate
   * themselves by symbol.
   */
  public static String uniqueSymbol(String prefix) {
    String letters = java.util.UUID.randomUUID().toString().replaceAll("[^a-z]", "").toUpperCase();
    return (prefix + letters + "QQQQQQ").substring(0, 7);
  }

  public static Trade withId(Trade t, String tradeId) {
    return new Trade(t.symbol(), t.price(), t.size(), t.ts(), tradeId, t.source());
  }
}
