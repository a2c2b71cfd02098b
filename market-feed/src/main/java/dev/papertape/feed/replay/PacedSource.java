package dev.papertape.feed.replay;

import dev.papertape.feed.TradeSource;
import dev.papertape.model.Trade;

/** A replayed source emitted at the pace of a {@link ReplayClock}. */
public final class PacedSource implements TradeSource {
  private final TradeSource source;
  private final ReplayClock clock;

  public PacedSource(TradeSource source, ReplayClock clock) {
    this.source = source;
    this.clock = clock;
  }

  @Override
  public Trade next() {
    Trade t = source.next();
    if (t == null || !clock.await(t.ts())) {
      return null;
    }
    return t;
  }

  @Override
  public void close() {
    source.close();
  }
}
