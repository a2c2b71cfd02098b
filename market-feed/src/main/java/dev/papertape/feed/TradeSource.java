package dev.papertape.feed;

import dev.papertape.model.Trade;

/**
 * Where the feed's trades come from (the simulator, a CSV replay): yields them one at a time, each
 * when it is due (a source paces itself).
 */
public interface TradeSource extends AutoCloseable {
  /** The next trade, or {@code null} when the source is exhausted or was stopped while waiting. */
  Trade next();

  @Override
  default void close() {}
}
