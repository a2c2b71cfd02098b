package dev.papertape.strategy;

import dev.papertape.model.MetricWindow;
import dev.papertape.model.Signal;
import dev.papertape.model.WindowMetrics;
import java.math.BigDecimal;
import java.util.List;

/**
 * Volume spike: a window whose volume exceeds {@code multiplier} × the mean volume of the previous
 * {@code lookback} windows (the current one not counted).
 *
 * <ul>
 *   <li>spike when volume &gt; k × (Σ previous N volumes) / N, compared exactly as volume × N &gt;
 *       k × Σ (no rounding); after N windows of volume 0 any traded volume is a spike;
 *   <li>side: BUY when close ≥ open (the volume came with a rising or flat window), else SELL;
 *   <li>at most one signal per window; nothing before N previous windows were consumed, so the
 *       first signal can come at window N + 1.
 * </ul>
 */
public final class VolumeSpike extends BuiltInStrategy<VolumeSpike.Parameters, VolumeSpike.State> {

  /** The type's name in control events and the API. */
  public static final String NAME = "volume-spike";

  /**
   * Typed parameters.
   *
   * @param window the window size consumed
   * @param lookback N, the previous windows averaged
   * @param multiplier k, how many times the mean the volume must exceed
   */
  public record Parameters(MetricWindow window, int lookback, BigDecimal multiplier)
      implements BuiltInStrategy.Windowed {}

  /**
   * The own state.
   *
   * @param volumes the volumes of the last {@code lookback} windows, oldest first
   */
  public record State(List<Long> volumes) {
    public State {
      volumes = List.copyOf(volumes);
    }
  }

  /** The type: parameters and construction. */
  public static final StrategyType<Parameters> TYPE =
      BuiltIns.type(
          NAME,
          "A signal when a window's volume exceeds multiplier × the mean volume of the previous"
              + " lookback windows: BUY when close ≥ open, else SELL.",
          List.of(
              BuiltIns.WINDOW,
              BuiltIns.lookback(
                  "N: previous windows whose mean volume is the baseline (the current one not"
                      + " counted)."),
              ParamSpec.decimal(
                  "multiplier", "3", "1", "1000", "k: the volume must exceed k × the baseline.")),
          p -> new Parameters(BuiltIns.window(p), p.integer("lookback"), p.decimal("multiplier")),
          VolumeSpike::new);

  public VolumeSpike(String id, Parameters params) {
    super(id, NAME, params, "lookback", params.lookback(), "multiplier", params.multiplier());
  }

  @Override
  protected State initial() {
    return new State(List.of());
  }

  @Override
  protected Step<State> next(State s, WindowMetrics m) {
    int n = params.lookback();
    State next = new State(Decimals.push(s.volumes(), m.volume(), n));
    if (s.volumes().size() < n) {
      return Step.quiet(next);
    }
    BigDecimal sum = BigDecimal.ZERO;
    for (Long v : Decimals.last(s.volumes(), n)) {
      sum = sum.add(BigDecimal.valueOf(v));
    }
    BigDecimal volume = BigDecimal.valueOf(m.volume());
    if (volume.multiply(BigDecimal.valueOf(n)).compareTo(params.multiplier().multiply(sum)) <= 0) {
      return Step.quiet(next);
    }
    boolean up = m.close().compareTo(m.open()) >= 0;
    String reason =
        m.symbol()
            + " volume "
            + m.volume()
            + " exceeds "
            + params.multiplier().toPlainString()
            + " × the mean volume "
            + Decimals.show(Decimals.divide(sum, BigDecimal.valueOf(n)))
            + " of the previous "
            + n
            + " "
            + m.window().label()
            + " windows (close "
            + m.close().toPlainString()
            + (up ? " ≥" : " <")
            + " open "
            + m.open().toPlainString()
            + ")";
    return emit(
        next, signal(m, Signal.Kind.SIGNAL, up ? Signal.Side.BUY : Signal.Side.SELL, reason));
  }

  @Override
  void write(State s, StateFormat.Writer out) {
    out.writeLongs(s.volumes());
  }

  @Override
  State read(StateFormat.Reader in) {
    List<Long> volumes = in.readLongs();
    for (Long v : volumes) {
      if (v < 0) {
        throw new StateFormatException("strategy " + id() + ": damaged state (negative volume)");
      }
    }
    return new State(volumes);
  }
}
