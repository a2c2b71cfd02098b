package dev.papertape.flink.metrics;

import dev.papertape.model.DeadLetter;
import dev.papertape.model.Trade;
import dev.papertape.model.TradeCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Admits each trade into the windows once (keyed by symbol), so windowed metrics always equal a
 * recomputation from the stored trades, whatever is replayed:
 *
 * <ul>
 *   <li><b>Duplicates</b>: a trade with the same {@code (symbol, ts, tradeId)} as one already
 *       admitted (the {@code trades} table's key: a producer retry, a CSV file replayed) is dropped
 *       and counted ({@code tradesDuplicate}). The ids are kept until the watermark passes the end
 *       of the trade's largest window plus the allowed lateness; after that a copy is late for
 *       every window and counts nowhere anyway. State: one entry per trade of the open largest
 *       windows.
 *   <li><b>Overflow</b>: a trade that would push its largest window's volume past {@link
 *       Long#MAX_VALUE} goes to {@link #REJECTED} (bound for the dead-letter topic) instead,
 *       counted ({@code tradesOverflow}). Window sizes nest (1s, 1m, 5m, 1h and 1d all divide a
 *       day), so no smaller window can overflow either.
 * </ul>
 *
 * <p>A trade already late for every window passes through untouched (it is stored raw and counted
 * late by the windows).
 */
public class AdmitTrades extends KeyedProcessFunction<String, Trade, Trade> {
  private static final long serialVersionUID = 1L;

  /** Valid trades the windows cannot count. */
  public static final OutputTag<DeadLetter> REJECTED = new OutputTag<>("rejected-trades") {};

  private final long largestWindowMillis;
  private final long allowedLatenessMillis;
  private final String topic;
  private final long maxVolume;

  private transient MapState<String, Boolean> seen;
  private transient MapState<Long, Long> volumes;
  private transient Counter duplicates;
  private transient Counter overflows;
  private transient TradeCodec codec;

  /**
   * @param largestWindow the largest window size computed
   * @param allowedLateness how long after its end a window still counts a late trade
   * @param topic the trades topic, named in dead letters
   */
  public AdmitTrades(Duration largestWindow, Duration allowedLateness, String topic) {
    this(largestWindow, allowedLateness, topic, Long.MAX_VALUE);
  }

  /** As the public constructor, with a lower volume limit (tests reach it with few trades). */
  AdmitTrades(Duration largestWindow, Duration allowedLateness, String topic, long maxVolume) {
    this.largestWindowMillis = largestWindow.toMillis();
    this.allowedLatenessMillis = allowedLateness.toMillis();
    this.topic = topic;
    this.maxVolume = maxVolume;
  }

  @Override
  public void open(OpenContext ctx) {
    seen =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("seen-trades", Types.STRING, Types.BOOLEAN));
    volumes =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("window-volumes", Types.LONG, Types.LONG));
    duplicates = getRuntimeContext().getMetricGroup().counter("tradesDuplicate");
    overflows = getRuntimeContext().getMetricGroup().counter("tradesOverflow");
    codec = new TradeCodec();
  }

  /** The event time after which no window counts a trade at {@code ts} any more. */
  long expiry(long ts) {
    long start = TimeWindow.getWindowStartWithOffset(ts, 0, largestWindowMillis);
    return start + largestWindowMillis - 1 + allowedLatenessMillis;
  }

  @Override
  public void processElement(Trade t, Context ctx, Collector<Trade> out) throws Exception {
    long ts = t.ts().toEpochMilli();
    long expiry = expiry(ts);
    if (expiry <= ctx.timerService().currentWatermark()) {
      out.collect(t); // late for every window: stored, counted as late, never in a window
      return;
    }
    String id = ts + ":" + t.tradeId();
    if (seen.contains(id)) {
      duplicates.inc();
      return;
    }
    long start = TimeWindow.getWindowStartWithOffset(ts, 0, largestWindowMillis);
    Long before = volumes.get(start);
    long volume = before == null ? 0 : before;
    if (volume > maxVolume - t.size()) {
      overflows.inc();
      ctx.output(
          REJECTED,
          DeadLetter.of(
              topic,
              -1,
              -1,
              t.symbol(),
              codec.encode(t),
              DeadLetter.ADMIT,
              "field 'size': "
                  + t.size()
                  + " more shares would overflow the volume of "
                  + t.symbol()
                  + "'s window starting "
                  + Instant.ofEpochMilli(start)
                  + " (already "
                  + volume
                  + ", at most "
                  + maxVolume
                  + ")",
              Instant.now()));
      return;
    }
    seen.put(id, Boolean.TRUE);
    volumes.put(start, volume + t.size());
    ctx.timerService().registerEventTimeTimer(expiry);
    out.collect(t);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Trade> out) throws Exception {
    for (Iterator<Map.Entry<String, Boolean>> it = seen.iterator(); it.hasNext(); ) {
      String id = it.next().getKey();
      if (expiry(Long.parseLong(id.substring(0, id.indexOf(':')))) <= timestamp) {
        it.remove();
      }
    }
    for (Iterator<Map.Entry<Long, Long>> it = volumes.iterator(); it.hasNext(); ) {
      long start = it.next().getKey();
      if (start + largestWindowMillis - 1 + allowedLatenessMillis <= timestamp) {
        it.remove();
      }
    }
    // an empty map still holds an entry in the heap backend: drop the symbol's state entirely
    if (seen.isEmpty()) {
      seen.clear();
    }
    if (volumes.isEmpty()) {
      volumes.clear();
    }
  }
}
