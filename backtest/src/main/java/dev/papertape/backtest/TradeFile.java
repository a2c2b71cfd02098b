package dev.papertape.backtest;

import dev.papertape.feed.TradeSource;
import dev.papertape.feed.replay.BarCsvReader;
import dev.papertape.feed.replay.BarFile;
import dev.papertape.feed.replay.BarTicks;
import dev.papertape.feed.replay.InvalidInputFileException;
import dev.papertape.feed.replay.ReplayFormat;
import dev.papertape.feed.replay.TradeCsvReader;
import dev.papertape.model.Trade;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A CSV file a backtest reads, in the formats {@code replay} reads (the market feed's readers, so a
 * file that replays also backtests, with the same trades): trades {@code
 * symbol,price,size,ts[,tradeId]} in file order, or bars {@code
 * symbol,ts,open,high,low,close,volume} expanded into four ticks each and merged in time order
 * ({@link BarTicks}). Only trades with {@code from ≤ ts < to} are read (either bound may be open).
 *
 * @param barInterval the bar length (bars only): given, or inferred by {@link #validate}
 * @param trades the trades in the whole file (ticks of a bars file), as {@link #validate} counted
 *     them; 0 when not counted
 */
public record TradeFile(
    Path path, ReplayFormat format, Duration barInterval, Instant from, Instant to, long trades) {

  /**
   * Reads the whole file once and checks every row (as {@code replay} does before it produces
   * anything), inferring the bar length of a bars file when it is not given.
   *
   * @return the file, ready to {@link #open}
   * @throws InvalidInputFileException naming the file, the line and the reason
   */
  public static TradeFile validate(
      Path path, ReplayFormat format, Duration barInterval, Instant from, Instant to) {
    if (format == ReplayFormat.BARS) {
      BarFile bars = BarCsvReader.validate(path, barInterval);
      return new TradeFile(path, format, bars.interval(), from, to, bars.ticks());
    }
    long trades = TradeCsvReader.validate(path);
    return new TradeFile(path, format, null, from, to, trades);
  }

  /** Whether a trade's time is in the period. */
  public boolean inPeriod(Trade t) {
    return (from == null || !t.ts().isBefore(from)) && (to == null || t.ts().isBefore(to));
  }

  /**
   * The trades of the file in the period, in the order described in the class comment; the caller
   * closes it.
   */
  public TradeSource open() {
    TradeSource all =
        format == ReplayFormat.BARS
            ? BarTicks.open(path, new BarFile(0, 0, barInterval, false))
            : new TradeCsvReader(path);
    if (from == null && to == null) {
      return all;
    }
    return new TradeSource() {
      @Override
      public Trade next() {
        for (Trade t = all.next(); t != null; t = all.next()) {
          if (inPeriod(t)) {
            return t;
          }
        }
        return null;
      }

      @Override
      public void close() {
        all.close();
      }
    };
  }
}
