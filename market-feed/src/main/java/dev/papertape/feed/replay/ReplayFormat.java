package dev.papertape.feed.replay;

/** The kinds of file {@code replay} reads. */
public enum ReplayFormat {
  /** {@code symbol,price,size,ts[,tradeId]}: {@link TradeCsvReader}. */
  TRADES,
  /** {@code symbol,ts,open,high,low,close,volume}: {@link BarCsvReader} and {@link BarExpander}. */
  BARS
}
