package dev.papertape.strategy;

import dev.papertape.model.MetricWindow;
import dev.papertape.model.WindowMetrics;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Test builders of {@link WindowMetrics}: consecutive windows of one symbol and size. */
final class Bars {
  static final Instant T0 = Instant.parse("2026-11-24T14:30:00Z");

  private Bars() {}

  /** Window {@code i} (0-based) of {@code window} size from {@link #T0}. */
  static WindowMetrics bar(
      String symbol,
      MetricWindow window,
      int i,
      String open,
      String close,
      String vwap,
      long volume) {
    Instant start = T0.plus(window.size().multipliedBy(i));
    BigDecimal o = new BigDecimal(open);
    BigDecimal c = new BigDecimal(close);
    BigDecimal v = new BigDecimal(vwap);
    BigDecimal high = o.max(c).max(v);
    BigDecimal low = o.min(c).min(v);
    return new WindowMetrics(
        symbol,
        window,
        start,
        start.plus(window.size()),
        o,
        high,
        low,
        c,
        volume,
        v,
        volume == 0 ? 0 : 1 + volume / 10,
        high.subtract(low));
  }

  /** Window {@code i} of symbol {@code TEST}, 1m. */
  static WindowMetrics m1(int i, String open, String close, String vwap, long volume) {
    return bar("TEST", MetricWindow.M1, i, open, close, vwap, volume);
  }

  /** A 1m window whose open, close and VWAP are all {@code close}. */
  static WindowMetrics close(String symbol, int i, String close) {
    return bar(symbol, MetricWindow.M1, i, close, close, close, 100);
  }

  /** 1m windows 0..n-1 with these closes (open = vwap = close, volume 100). */
  static List<WindowMetrics> closes(String symbol, String... closes) {
    List<WindowMetrics> out = new ArrayList<>();
    for (int i = 0; i < closes.length; i++) {
      out.add(close(symbol, i, closes[i]));
    }
    return out;
  }

  /** The same window as {@code m} but of another size label (same times, for filter tests). */
  static WindowMetrics resized(WindowMetrics m, MetricWindow w) {
    return new WindowMetrics(
        m.symbol(),
        w,
        m.windowStart(),
        m.windowEnd(),
        m.open(),
        m.high(),
        m.low(),
        m.close(),
        m.volume(),
        m.vwap(),
        m.tradeCount(),
        m.priceRange());
  }

  /**
   * A seeded random walk of {@code n} windows of {@code window} size: prices around 100 with 2
   * decimals, volumes 0-10,000 (sometimes 0, sometimes huge), occasional gaps between windows.
   */
  static List<WindowMetrics> randomWalk(
      SplittableRandom r, String symbol, MetricWindow window, int n) {
    List<WindowMetrics> out = new ArrayList<>();
    long cents = 10_000;
    int slot = 0;
    for (int i = 0; i < n; i++) {
      long open = cents;
      cents = Math.max(1, cents + r.nextLong(-300, 301));
      long vwap = Math.max(1, (open + cents) / 2 + r.nextLong(-50, 51));
      long volume =
          switch (r.nextInt(10)) {
            case 0 -> 0;
            case 1 -> r.nextLong(1_000_000, 1_000_000_000_000L);
            default -> r.nextLong(1, 10_001);
          };
      slot += r.nextInt(10) == 0 ? 2 : 1;
      out.add(
          bar(
              symbol,
              window,
              slot,
              BigDecimal.valueOf(open, 2).toPlainString(),
              BigDecimal.valueOf(cents, 2).toPlainString(),
              BigDecimal.valueOf(vwap, 2).toPlainString(),
              volume));
    }
    return out;
  }
}
