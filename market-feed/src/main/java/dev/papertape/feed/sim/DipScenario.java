package dev.papertape.feed.sim;

import dev.papertape.config.Durations;
import dev.papertape.model.Symbols;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * One symbol dips below its random walk and comes back: from {@code startNanos} of simulated time
 * its price factor falls linearly from 1 to {@code 1 − depth} over {@code fall}, stays there for
 * {@code hold}, and rises linearly back to 1 over {@code recover}; the other symbols, and this one
 * before and after, are untouched. The walk itself goes on underneath, so after the dip the price
 * is back on the path it would have had.
 *
 * @param symbol the symbol that dips
 * @param startNanos when the fall starts, in nanoseconds of simulated time since the start of the
 *     run (0 or more)
 * @param fall how long the fall lasts (0 or more)
 * @param hold how long the price stays at the bottom (0 or more)
 * @param recover how long the way back lasts (0 or more)
 * @param depth the fall as a fraction of the price, greater than 0 and less than 1 (0.04 = 4 %)
 */
public record DipScenario(
    String symbol, long startNanos, Duration fall, Duration hold, Duration recover, double depth)
    implements Scenario {

  /** The symbol of the {@code demo} scenario. */
  public static final String DEMO_SYMBOL = "TSLA";

  /** The {@code demo} dip starts at least this long after the start of the run. */
  public static final Duration DEMO_OFFSET = Duration.ofSeconds(35);

  /** The {@code demo} dip: 6 %. */
  public static final double DEMO_DEPTH = 0.06;

  static final Duration DEMO_FALL = Duration.ofSeconds(2);
  static final Duration DEMO_HOLD = Duration.ofSeconds(4);
  static final Duration DEMO_RECOVER = Duration.ofSeconds(2);

  /** The {@code demo} dip starts between these seconds of a minute. */
  static final int DEMO_FIRST_SECOND = 5;

  static final int DEMO_LAST_SECOND = 45;

  public DipScenario {
    symbol = Symbols.normalize("symbol", symbol);
    if (startNanos < 0) {
      throw new IllegalArgumentException("the dip cannot start before the run: " + startNanos);
    }
    for (Duration d : new Duration[] {fall, hold, recover}) {
      if (d == null || d.isNegative()) {
        throw new IllegalArgumentException("dip phases last 0 or more, got " + d);
      }
    }
    if (!(depth > 0 && depth < 1)) {
      throw new IllegalArgumentException("the dip's depth must be in (0, 1), got " + depth);
    }
  }

  /**
   * The {@code demo} scenario of a run that starts at {@code start}: {@value #DEMO_SYMBOL} dips 6 %
   * over 2 s, holds 4 s and recovers over 2 s. The dip starts at least {@link #DEMO_OFFSET} after
   * the start, at the first moment whose second of the minute is between 5 and 45, so the whole dip
   * (8 s) lies inside one minute: a 1-minute close never sees it (the built-in {@code price-drop}
   * pattern, on 1m closes, stays quiet) while 1-second windows show it clearly. With the demo's
   * {@code vwap-deviation} instance ({@code window=1s, lookback=30, thresholdPct=3.5}) it gives one
   * BUY at the fall and no SELL on the way back ({@code DipScenarioTest} proves both over many
   * seeds; over 1,000 seeds the deepest close was 4.9 % below the rolling VWAP at its weakest, and
   * the highest after the dip 2.6 % above it).
   */
  public static DipScenario demo(Instant start) {
    Instant earliest = start.plus(DEMO_OFFSET);
    long second = Math.floorMod(earliest.getEpochSecond(), 60);
    Instant at;
    if (second < DEMO_FIRST_SECOND) {
      at = minute(earliest).plusSeconds(DEMO_FIRST_SECOND);
    } else if (second < DEMO_LAST_SECOND
        || (second == DEMO_LAST_SECOND && earliest.getNano() == 0)) {
      at = earliest;
    } else {
      at = minute(earliest).plusSeconds(60 + DEMO_FIRST_SECOND);
    }
    return new DipScenario(
        DEMO_SYMBOL,
        Duration.between(start, at).toNanos(),
        DEMO_FALL,
        DEMO_HOLD,
        DEMO_RECOVER,
        DEMO_DEPTH);
  }

  private static Instant minute(Instant t) {
    return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), 60) * 60);
  }

  /** When the dip starts for a run that started at {@code start}. */
  public Instant startsAt(Instant start) {
    return start.plusNanos(startNanos);
  }

  /** When the price is back on its path, in nanoseconds of simulated time. */
  public long endNanos() {
    return startNanos + fall.toNanos() + hold.toNanos() + recover.toNanos();
  }

  @Override
  public double factor(String s, long nanos) {
    long t = nanos - startNanos;
    if (t < 0 || !symbol.equals(s)) {
      return 1.0;
    }
    long fallNanos = fall.toNanos();
    if (t < fallNanos) {
      return 1.0 - depth * t / fallNanos;
    }
    t -= fallNanos;
    if (t < hold.toNanos()) {
      return 1.0 - depth;
    }
    t -= hold.toNanos();
    long recoverNanos = recover.toNanos();
    if (t < recoverNanos) {
      return 1.0 - depth * (recoverNanos - t) / recoverNanos;
    }
    return 1.0;
  }

  @Override
  public String describe() {
    return String.format(
        Locale.ROOT,
        "%s dips %s %% below its path %.3f s after the start: falls over %s, holds %s,"
            + " recovers over %s",
        symbol,
        BigDecimal.valueOf(depth * 100).stripTrailingZeros().toPlainString(),
        startNanos / 1e9,
        Durations.format(fall),
        Durations.format(hold),
        Durations.format(recover));
  }
}
