package dev.papertape.feed.replay;

import dev.papertape.config.Durations;
import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.Prices;
import dev.papertape.model.Symbols;
import dev.papertape.model.TextFields;
import dev.papertape.model.Timestamps;
import dev.papertape.model.Trade;
import java.io.Closeable;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a bars CSV file: {@code symbol,ts,open,high,low,close,volume}, one bar a row (daily or
 * minute bars, any fixed length), with an optional header row.
 *
 * <p>{@code ts} is the bar's open time (ISO-8601 with an offset, epoch milliseconds, or a date for
 * daily bars); prices are exact decimals greater than 0 with {@code low ≤ open, close ≤ high};
 * {@code volume} is a whole number from 0 to {@link Trade#MAX_SIZE}. Rows must be in time order
 * (bars of the same time in any order) and a symbol has at most one bar per time; when the bar
 * length is given, bars of a symbol must be at least that far apart. Every bar becomes valid trades
 * ({@link BarExpander}), so a bar must lie within the accepted trade times: it starts on or after
 * 1970-01-01 and ends ({@code ts} + bar length) by 2100-01-01, and the file name makes trade ids of
 * at most {@value Trade#MAX_TRADE_ID} characters. A bad row throws {@link
 * InvalidInputFileException}: once a file validates, replaying it cannot fail on its content.
 */
public final class BarCsvReader implements Closeable {
  static final String COLUMNS = "symbol,ts,open,high,low,close,volume";

  private final CsvRows rows;
  private final String idPrefix;
  private final Duration interval;
  private final Map<String, Bar> lastBySymbol = new HashMap<>();
  private Bar previous;
  private Duration smallestGap;
  private boolean first = true;

  /**
   * @param interval the bar length, or {@code null} to accept any spacing (and infer it)
   */
  public BarCsvReader(Path file, Duration interval) {
    this.rows = new CsvRows(file);
    this.idPrefix = CsvRows.stem(file) + "-";
    this.interval = interval;
  }

  /**
   * Reads the whole file and checks every row, producing nothing; infers the bar length when it is
   * not given: the smallest time between two consecutive bars of the same symbol.
   *
   * @param interval the bar length from {@code --bar-interval}, or {@code null} to infer it
   * @throws InvalidInputFileException at the first bad row, or when the length cannot be inferred
   */
  public static BarFile validate(Path file, Duration interval) {
    long bars = 0;
    long ticks = 0;
    try (BarCsvReader reader = new BarCsvReader(file, interval)) {
      for (Bar b = reader.next(); b != null; b = reader.next()) {
        bars++;
        ticks += BarExpander.tickCount(b.volume());
      }
      if (interval != null) {
        return new BarFile(bars, ticks, interval, false);
      }
      Duration gap = reader.smallestGap;
      if (gap == null) {
        throw new InvalidInputFileException(
            file,
            0,
            "cannot infer the bar length: no symbol has two bars; pass --bar-interval (e.g. 1m or"
                + " 1d)");
      }
      // bars are in time order: when the last one ends in time, they all do
      reader.checkEnd(reader.previous, gap);
      return new BarFile(bars, ticks, gap, true);
    }
  }

  /** The next bar in file order, or {@code null} at the end of the file. */
  public Bar next() {
    String[] f = rows.next();
    if (f != null && first) {
      first = false;
      if (f[0].toLowerCase(Locale.ROOT).equals("symbol")) {
        if (!String.join(",", f).toLowerCase(Locale.ROOT).equals(COLUMNS)) {
          throw rows.error(
              "the header "
                  + TextFields.quote(String.join(",", f))
                  + " is not the bars header "
                  + COLUMNS);
        }
        f = rows.next();
      }
    }
    if (f == null) {
      return null;
    }
    if (f.length != 7) {
      throw rows.error(
          "expected 7 columns ("
              + COLUMNS
              + "), got "
              + f.length
              + ": "
              + TextFields.quote(String.join(",", f)));
    }
    Bar bar;
    try {
      bar = parse(f, rows.line());
      // the ids of its ticks (BarExpander) must be valid trade ids
      TextFields.check("tradeId", idPrefix + bar.line() + "-4", Trade.MAX_TRADE_ID);
    } catch (InvalidRecordException e) {
      throw rows.error(e.getMessage());
    }
    checkOrder(bar);
    if (interval != null) {
      checkEnd(bar, interval);
    }
    return bar;
  }

  private static Bar parse(String[] f, int line) {
    String symbol = Symbols.normalize("symbol", f[0]);
    Instant start = CsvFields.timestamp("ts", f[1]);
    if (start.isBefore(Trade.MIN_TS) || !start.isBefore(Trade.MAX_TS)) {
      throw new InvalidRecordException(
          "ts",
          Timestamps.describe(start) + " is outside the accepted range [1970-01-01, 2100-01-01)");
    }
    BigDecimal open = Prices.canonical("open", CsvFields.decimal("open", f[2]));
    BigDecimal high = Prices.canonical("high", CsvFields.decimal("high", f[3]));
    BigDecimal low = Prices.canonical("low", CsvFields.decimal("low", f[4]));
    BigDecimal close = Prices.canonical("close", CsvFields.decimal("close", f[5]));
    long volume = CsvFields.wholeNumber("volume", f[6]);
    if (volume < 0) {
      throw new InvalidRecordException("volume", "must be at least 0, got " + volume);
    }
    if (volume > Trade.MAX_SIZE) {
      throw new InvalidRecordException(
          "volume", "must be at most " + Trade.MAX_SIZE + " (the largest trade), got " + volume);
    }
    if (low.compareTo(high) > 0) {
      throw new InvalidRecordException("low", "low " + low + " is above high " + high);
    }
    checkWithin("open", open, low, high);
    checkWithin("close", close, low, high);
    return new Bar(symbol, start, open, high, low, close, volume, line);
  }

  private static void checkWithin(String field, BigDecimal p, BigDecimal low, BigDecimal high) {
    if (p.compareTo(low) < 0 || p.compareTo(high) > 0) {
      throw new InvalidRecordException(
          field, field + " " + p + " is outside [low " + low + ", high " + high + "]");
    }
  }

  private void checkOrder(Bar bar) {
    if (previous != null && bar.start().isBefore(previous.start())) {
      throw rows.error(
          "bars must be in time order: ts "
              + bar.start()
              + " is before "
              + previous.start()
              + " at line "
              + previous.line()
              + "; sort the file by ts");
    }
    Bar last = lastBySymbol.get(bar.symbol());
    if (last != null) {
      Duration gap = Duration.between(last.start(), bar.start());
      if (gap.isZero()) {
        throw rows.error(
            "a second "
                + bar.symbol()
                + " bar at "
                + bar.start()
                + " (the first is at line "
                + last.line()
                + ")");
      }
      if (interval != null && gap.compareTo(interval) < 0) {
        throw rows.error(
            "this "
                + bar.symbol()
                + " bar starts "
                + format(gap)
                + " after the one at line "
                + last.line()
                + ", less than the bar length "
                + format(interval));
      }
      if (smallestGap == null || gap.compareTo(smallestGap) < 0) {
        smallestGap = gap;
      }
    }
    lastBySymbol.put(bar.symbol(), bar);
    previous = bar;
  }

  /**
   * A bar's ticks lie in {@code [start, start + length)} and are trades: the bar must end by {@link
   * Trade#MAX_TS}.
   */
  private void checkEnd(Bar bar, Duration length) {
    if (Duration.between(bar.start(), Trade.MAX_TS).compareTo(length) < 0) {
      throw new InvalidInputFileException(
          rows.file(),
          bar.line(),
          "a bar of "
              + format(length)
              + " from "
              + bar.start()
              + " ends after 2100-01-01T00:00:00Z; the bar must end by 2100-01-01T00:00:00Z, the"
              + " end of the accepted trade times");
    }
  }

  /** {@link Durations#format}, which cannot print lengths beyond Long.MAX_VALUE milliseconds. */
  private static String format(Duration length) {
    return length.compareTo(Duration.ofDays(1_000_000)) > 0
        ? length.toString()
        : Durations.format(length);
  }

  Path file() {
    return rows.file();
  }

  @Override
  public void close() {
    rows.close();
  }
}
