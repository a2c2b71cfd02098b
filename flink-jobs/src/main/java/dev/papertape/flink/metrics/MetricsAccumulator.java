package dev.papertape.flink.metrics;

import dev.papertape.model.Trade;
import java.math.BigDecimal;

/**
 * Running OHLC/volume/notional of the trades in one window. A Flink POJO (public fields, no-arg
 * constructor) so its state is serialised by Flink's PojoSerializer with exact {@link BigDecimal}s,
 * never Kryo.
 *
 * <p>{@code open} is the price of the trade with the earliest event time and {@code close} of the
 * latest; on equal event times the one that arrived first stays open and the one that arrived last
 * becomes close.
 */
public class MetricsAccumulator {
  public long count;
  public long volume;
  public BigDecimal notional = BigDecimal.ZERO;
  public BigDecimal high;
  public BigDecimal low;
  public BigDecimal open;
  public long openTs = Long.MAX_VALUE;
  public BigDecimal close;
  public long closeTs = Long.MIN_VALUE;

  public MetricsAccumulator() {}

  /** Adds one trade. */
  public MetricsAccumulator add(Trade t) {
    BigDecimal p = t.price();
    long ts = t.ts().toEpochMilli();
    count++;
    volume = Math.addExact(volume, t.size());
    notional = notional.add(t.notional());
    high = high == null || p.compareTo(high) > 0 ? p : high;
    low = low == null || p.compareTo(low) < 0 ? p : low;
    if (ts < openTs) {
      openTs = ts;
      open = p;
    }
    if (ts >= closeTs) {
      closeTs = ts;
      close = p;
    }
    return this;
  }

  /** Combines two partial aggregates of the same window (for merging windows). */
  public MetricsAccumulator merge(MetricsAccumulator o) {
    if (o.count == 0) {
      return this;
    }
    if (count == 0) {
      return o;
    }
    count += o.count;
    volume = Math.addExact(volume, o.volume);
    notional = notional.add(o.notional);
    high = o.high.compareTo(high) > 0 ? o.high : high;
    low = o.low.compareTo(low) < 0 ? o.low : low;
    if (o.openTs < openTs) {
      openTs = o.openTs;
      open = o.open;
    }
    if (o.closeTs >= closeTs) {
      closeTs = o.closeTs;
      close = o.close;
    }
    return this;
  }
}
