package dev.papertape.feed.replay;

import dev.papertape.feed.TradeSource;
import dev.papertape.model.Trade;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * The ticks of a bars file in event-time order: bars are expanded ({@link BarExpander}) and their
 * ticks merged, so ticks of bars that overlap in time (several symbols, the same minute) interleave
 * by time; ticks at the same time keep file order. Needs the bars in time order (checked by {@link
 * BarCsvReader}); holds only the ticks of the bars that overlap the current time.
 */
public final class BarTicks implements TradeSource {
  private record Pending(Trade trade, long seq) {}

  private static final Comparator<Pending> ORDER =
      Comparator.comparing((Pending p) -> p.trade().ts()).thenComparingLong(Pending::seq);

  private final BarCsvReader reader;
  private final BarExpander expander;
  private final PriorityQueue<Pending> pending = new PriorityQueue<>(ORDER);
  private Bar lookahead;
  private long seq;

  public BarTicks(BarCsvReader reader, BarExpander expander) {
    this.reader = reader;
    this.expander = expander;
    this.lookahead = reader.next();
  }

  /** Opens a bars file already validated by {@link BarCsvReader#validate}. */
  public static BarTicks open(Path file, BarFile checked) {
    BarCsvReader reader = new BarCsvReader(file, checked.interval());
    return new BarTicks(reader, new BarExpander(checked.interval(), CsvRows.stem(file)));
  }

  @Override
  public Trade next() {
    // Later bars start at or after the lookahead bar, so every tick before its start is final.
    while (lookahead != null
        && (pending.isEmpty() || pending.peek().trade().ts().isAfter(lookahead.start()))) {
      for (Trade t : expander.expand(lookahead)) {
        pending.add(new Pending(t, seq++));
      }
      lookahead = reader.next();
    }
    Pending p = pending.poll();
    return p == null ? null : p.trade();
  }

  @Override
  public void close() {
    reader.close();
  }
}
