package dev.papertape.strategy;

import dev.papertape.model.MetricWindow;
import dev.papertape.model.Signal;
import dev.papertape.model.WindowMetrics;
import java.math.BigDecimal;
import java.util.List;

/**
 * VWAP deviation: the close against the rolling VWAP of the last {@code lookback} windows,
 * including the current one.
 *
 * <ul>
 *   <li>rollingVwap = Σ vwap·volume / Σ volume over the last {@code lookback} windows (a window
 *       with volume 0 contributes nothing; when all have volume 0 there is no rolling VWAP and the
 *       window is skipped, the zone unchanged);
 *   <li>deviation = (close − rollingVwap) / rollingVwap;
 *   <li>zone: below when deviation &lt; −thresholdPct/100, above when deviation &gt;
 *       +thresholdPct/100, else none (the boundaries themselves are not in a zone);
 *   <li>BUY when the zone becomes below, SELL when it becomes above: one signal per entry, none
 *       while it stays; before the first evaluated window the zone is none, so the first full
 *       window can fire;
 *   <li>nothing before {@code lookback} windows were consumed.
 * </ul>
 *
 * Quotients are rounded per {@link Decimals}.
 */
public final class VwapDeviation
    extends BuiltInStrategy<VwapDeviation.Parameters, VwapDeviation.State> {

  /** The type's name in control events and the API. */
  public static final String NAME = "vwap-deviation";

  /**
   * Typed parameters.
   *
   * @param window the window size consumed
   * @param lookback N, the windows of the rolling VWAP including the current one
   * @param thresholdPct x, the band's half-width in percent of the rolling VWAP
   */
  public record Parameters(MetricWindow window, int lookback, BigDecimal thresholdPct)
      implements BuiltInStrategy.Windowed {}

  /**
   * The own state: the last {@code lookback} windows' VWAPs and volumes, and the current zone.
   *
   * @param vwaps the VWAPs of the last windows, oldest first
   * @param volumes their volumes, same order
   * @param zone the zone of the last evaluated window
   */
  public record State(List<BigDecimal> vwaps, List<Long> volumes, Zone zone) {
    public State {
      vwaps = List.copyOf(vwaps);
      volumes = List.copyOf(volumes);
    }
  }

  /** The type: parameters and construction. */
  public static final StrategyType<Parameters> TYPE =
      BuiltIns.type(
          NAME,
          "BUY when the close enters the zone more than thresholdPct % below the rolling VWAP of"
              + " the last lookback windows, SELL when it enters the zone more than thresholdPct %"
              + " above it.",
          List.of(
              BuiltIns.WINDOW,
              BuiltIns.lookback("N: windows in the rolling VWAP, the current one included."),
              ParamSpec.decimal(
                  "thresholdPct",
                  "0.5",
                  "0.01",
                  "50",
                  "x: the band around the rolling VWAP, in percent; a signal fires on entering"
                      + " the zone beyond it.")),
          p -> new Parameters(BuiltIns.window(p), p.integer("lookback"), p.decimal("thresholdPct")),
          VwapDeviation::new);

  private final BigDecimal band;

  public VwapDeviation(String id, Parameters params) {
    super(id, NAME, params, "lookback", params.lookback(), "thresholdPct", params.thresholdPct());
    this.band = params.thresholdPct().movePointLeft(2);
  }

  @Override
  protected State initial() {
    return new State(List.of(), List.of(), Zone.NONE);
  }

  @Override
  protected Step<State> next(State s, WindowMetrics m) {
    int n = params.lookback();
    List<BigDecimal> vwaps = Decimals.push(s.vwaps(), m.vwap(), n);
    List<Long> volumes = Decimals.push(s.volumes(), m.volume(), n);
    if (vwaps.size() < n) {
      return Step.quiet(new State(vwaps, volumes, s.zone()));
    }
    BigDecimal volume = BigDecimal.ZERO;
    BigDecimal notional = BigDecimal.ZERO;
    for (int i = 0; i < n; i++) {
      BigDecimal v = BigDecimal.valueOf(volumes.get(i));
      volume = volume.add(v);
      notional = notional.add(vwaps.get(i).multiply(v));
    }
    if (volume.signum() == 0) {
      return Step.quiet(new State(vwaps, volumes, s.zone()));
    }
    BigDecimal rolling = Decimals.divide(notional, volume);
    BigDecimal deviation = Decimals.divide(m.close().subtract(rolling), rolling);
    Zone zone;
    if (deviation.compareTo(band.negate()) < 0) {
      zone = Zone.BELOW;
    } else if (deviation.compareTo(band) > 0) {
      zone = Zone.ABOVE;
    } else {
      zone = Zone.NONE;
    }
    State next = new State(vwaps, volumes, zone);
    if (zone == s.zone() || zone == Zone.NONE) {
      return Step.quiet(next);
    }
    String reason =
        m.symbol()
            + " close "
            + m.close().toPlainString()
            + " is "
            + Decimals.percent(deviation.abs())
            + (zone == Zone.BELOW ? " below" : " above")
            + " its rolling VWAP "
            + Decimals.show(rolling)
            + " of the last "
            + n
            + " "
            + m.window().label()
            + " windows (threshold "
            + params.thresholdPct().toPlainString()
            + "%)";
    Signal.Side side = zone == Zone.BELOW ? Signal.Side.BUY : Signal.Side.SELL;
    return emit(next, signal(m, Signal.Kind.SIGNAL, side, reason));
  }

  @Override
  void write(State s, StateFormat.Writer out) {
    out.writeDecimals(s.vwaps()).writeLongs(s.volumes()).writeByte(s.zone().ordinal());
  }

  @Override
  State read(StateFormat.Reader in) {
    List<BigDecimal> vwaps = in.readDecimals();
    List<Long> volumes = in.readLongs();
    Zone zone = Zone.of(in.readByte(), "strategy " + id());
    if (vwaps.size() != volumes.size()) {
      throw new StateFormatException("strategy " + id() + ": damaged state (list lengths differ)");
    }
    return new State(vwaps, volumes, zone);
  }
}
