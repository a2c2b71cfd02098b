package dev.papertape.flink.signals;

import dev.papertape.config.Settings;
import dev.papertape.model.MetricWindow;
import dev.papertape.model.Prices;
import dev.papertape.model.Signal;
import dev.papertape.model.WindowMetrics;
import dev.papertape.strategy.SignalIds;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;

/**
 * The built-in flink-cep pattern strategy "price drop": a {@code SELL} signal when a symbol's 1m
 * close falls by at least {@code dropPct} % within {@code within}, in event time.
 *
 * <p>Exactly: on each symbol's {@code 1m} metrics, ordered by event time (a window's end), a match
 * is a window {@code from} followed by the first later window {@code to} with {@code to.close ≤
 * from.close × (1 − dropPct / 100)} (compared exactly, without division) and {@code to.windowEnd −
 * from.windowEnd ≤ within}. After a match, every partial match that started before its end is
 * discarded (skip past the last event), so one fall gives one signal; the next one can only start
 * at a window after {@code to}. The signal: kind {@code SIGNAL}, side {@code SELL}, source {@value
 * #SOURCE}, price and ts of {@code to} (its close and end), id {@link SignalIds#of} of (source,
 * symbol, 1m, to's end, SELL): deterministic, so a replay stores it once.
 *
 * <p>Event time: CEP buffers the metrics until the watermark passes them and sorts them by window
 * end, so metrics that arrive out of order (within the watermark's bound) match as if in order; a
 * metric behind the watermark (a window re-published by a late trade) is dropped.
 *
 * <p>Flink's CEP patterns are fixed when the job graph is built, so this strategy is configured by
 * settings ({@code PAPERTAPE_PRICE_DROP_PCT}, {@code PAPERTAPE_PRICE_DROP_WITHIN}), not by control
 * events, and runs on every symbol.
 */
public final class PriceDrop {
  /** The signals' {@code source}. */
  public static final String SOURCE = "price-drop";

  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private PriceDrop() {}

  /**
   * The pattern's parameters, validated.
   *
   * @param dropPct the fall, in percent: {@code 0 < dropPct < 100}, at most 8 decimal places
   * @param within the longest time from the first window's end to the last one's: whole minutes,
   *     from 1 minute to 1 day
   */
  public record Params(BigDecimal dropPct, Duration within) implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * @throws IllegalArgumentException naming the parameter and the accepted values
     */
    public Params {
      if (dropPct == null
          || dropPct.signum() <= 0
          || dropPct.compareTo(HUNDRED) >= 0
          || dropPct.stripTrailingZeros().scale() > Prices.SCALE) {
        throw new IllegalArgumentException(
            "dropPct must be greater than 0 and less than 100, with at most "
                + Prices.SCALE
                + " decimal places");
      }
      dropPct = dropPct.stripTrailingZeros();
      if (dropPct.scale() < 0) {
        dropPct = dropPct.setScale(0);
      }
      if (within == null
          || within.compareTo(Duration.ofMinutes(1)) < 0
          || within.compareTo(Duration.ofDays(1)) > 0
          || within.toMillis() % 60_000 != 0) {
        throw new IllegalArgumentException("within must be whole minutes from 1m to 1d");
      }
    }

    /**
     * From {@code PAPERTAPE_PRICE_DROP_PCT} (default {@code 2}; {@code 0} turns the pattern off:
     * {@code null}) and {@code PAPERTAPE_PRICE_DROP_WITHIN} (default {@code 5m}).
     *
     * @throws Settings.InvalidSettingException naming the setting and the accepted values
     */
    public static Params from(Settings s) {
      String pct = s.string("PAPERTAPE_PRICE_DROP_PCT", "2").trim();
      BigDecimal p;
      try {
        if (pct.length() > 20) {
          throw new NumberFormatException();
        }
        p = new BigDecimal(pct);
      } catch (NumberFormatException e) {
        throw new Settings.InvalidSettingException(
            "PAPERTAPE_PRICE_DROP_PCT", pct, "a percentage from 0 (off) to less than 100");
      }
      if (p.signum() == 0) {
        return null;
      }
      Duration within = s.duration("PAPERTAPE_PRICE_DROP_WITHIN", Duration.ofMinutes(5));
      try {
        return new Params(p, within);
      } catch (IllegalArgumentException e) {
        boolean pctBad = e.getMessage().startsWith("dropPct");
        throw new Settings.InvalidSettingException(
            pctBad ? "PAPERTAPE_PRICE_DROP_PCT" : "PAPERTAPE_PRICE_DROP_WITHIN",
            pctBad ? pct : s.string("PAPERTAPE_PRICE_DROP_WITHIN", "5m"),
            pctBad
                ? "a percentage from 0 (off) to less than 100, at most 8 decimal places"
                : "whole minutes from 1m to 1d");
      }
    }

    @Override
    public String toString() {
      return dropPct.toPlainString() + "% within " + within.toMinutes() + "m";
    }
  }

  /**
   * The pattern. CEP's {@code within} excludes a sequence exactly that long, so the bound given to
   * it is one millisecond more: a window ending exactly {@code within} after the first matches.
   */
  public static Pattern<WindowMetrics, WindowMetrics> pattern(Params p) {
    return Pattern.<WindowMetrics>begin("from", AfterMatchSkipStrategy.skipPastLastEvent())
        .followedBy("to")
        .where(new FellFromStart(p.dropPct()))
        .within(p.within().plusMillis(1));
  }

  /**
   * The pattern on {@code metrics} (carrying event timestamps = window end, and watermarks): only
   * {@code 1m} windows, keyed by symbol.
   */
  public static SingleOutputStreamOperator<Signal> signals(
      DataStream<WindowMetrics> metrics, Params p) {
    DataStream<WindowMetrics> minutes =
        metrics
            .filter(m -> m.window() == MetricWindow.M1)
            .uid("price-drop-1m")
            .name("1m metrics for price-drop");
    return CEP.pattern(minutes.keyBy(WindowMetrics::symbol), pattern(p))
        .inEventTime()
        .process(new EmitPriceDrop(p))
        .uid("price-drop-pattern")
        .name("CEP price-drop " + p);
  }

  /** {@code to.close × 100 ≤ from.close × (100 − dropPct)}: exact. */
  static final class FellFromStart extends IterativeCondition<WindowMetrics> {
    private static final long serialVersionUID = 1L;
    private final BigDecimal keep;

    FellFromStart(BigDecimal dropPct) {
      this.keep = HUNDRED.subtract(dropPct);
    }

    @Override
    public boolean filter(WindowMetrics to, Context<WindowMetrics> ctx) throws Exception {
      Iterator<WindowMetrics> from = ctx.getEventsForPattern("from").iterator();
      return from.hasNext()
          && to.close().multiply(HUNDRED).compareTo(from.next().close().multiply(keep)) <= 0;
    }
  }

  /** One SELL signal per match. */
  static final class EmitPriceDrop extends PatternProcessFunction<WindowMetrics, Signal> {
    private static final long serialVersionUID = 1L;
    private final Params params;

    EmitPriceDrop(Params params) {
      this.params = params;
    }

    @Override
    public void processMatch(
        Map<String, List<WindowMetrics>> match, Context ctx, Collector<Signal> out) {
      WindowMetrics from = match.get("from").get(0);
      WindowMetrics to = match.get("to").get(0);
      out.collect(signal(params, from, to));
    }
  }

  /** The signal of a match. */
  static Signal signal(Params p, WindowMetrics from, WindowMetrics to) {
    BigDecimal fell =
        from.close()
            .subtract(to.close())
            .multiply(HUNDRED)
            .divide(from.close(), 4, RoundingMode.HALF_UP)
            .stripTrailingZeros();
    long minutes = Duration.between(from.windowEnd(), to.windowEnd()).toMinutes();
    String reason =
        to.symbol()
            + " 1m close fell "
            + fell.toPlainString()
            + "% in "
            + minutes
            + " min, from "
            + from.close().toPlainString()
            + " (window ending "
            + from.windowEnd()
            + ") to "
            + to.close().toPlainString()
            + " (pattern: a fall of at least "
            + p
            + ")";
    return new Signal(
        SignalIds.of(SOURCE, to.symbol(), MetricWindow.M1, to.windowEnd(), Signal.Side.SELL.name()),
        Signal.Kind.SIGNAL,
        to.symbol(),
        SOURCE,
        Signal.Side.SELL,
        to.close(),
        reason,
        to.windowEnd());
  }
}
