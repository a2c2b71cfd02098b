package dev.papertape.strategy;

import dev.papertape.model.MetricWindow;
import dev.papertape.model.Signal;
import dev.papertape.model.WindowMetrics;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * Moving-average crossover of closes: a fast and a slow average ({@code fast} &lt; {@code slow}
 * windows), simple (SMA) or exponential (EMA).
 *
 * <ul>
 *   <li>SMA(N) = the mean of the last N closes;
 *   <li>EMA(N): seeded with the SMA of the first N closes (at the N-th window), then EMA ← EMA +
 *       α·(close − EMA) with α = 2/(N+1), each step rounded per {@link Decimals};
 *   <li>both averages are full from the {@code slow}-th window on; a cross compares the averages of
 *       this window with those of the previous window, so the first signal can come at window
 *       {@code slow + 1};
 *   <li>BUY when fast crosses above slow (previous fast ≤ previous slow and now fast &gt; slow),
 *       SELL when it crosses below (previous fast ≥ previous slow and now fast &lt; slow).
 * </ul>
 */
public final class MaCrossover extends BuiltInStrategy<MaCrossover.Parameters, MaCrossover.State> {

  /** The type's name in control events and the API. */
  public static final String NAME = "ma-crossover";

  /** The kinds of average. */
  public enum Kind {
    SMA,
    EMA;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Typed parameters.
   *
   * @param window the window size consumed
   * @param fast windows of the fast average
   * @param slow windows of the slow average, more than {@code fast}
   * @param kind simple or exponential
   */
  public record Parameters(MetricWindow window, int fast, int slow, Kind kind)
      implements BuiltInStrategy.Windowed {}

  /**
   * The own state.
   *
   * @param closes the last {@code slow} closes, oldest first
   * @param emaFast the fast EMA once seeded ({@code null} for SMA or before)
   * @param emaSlow the slow EMA once seeded ({@code null} for SMA or before)
   * @param lastFast the fast average at the last window where both were full, else {@code null}
   * @param lastSlow the slow average at that window, else {@code null}
   */
  public record State(
      List<BigDecimal> closes,
      BigDecimal emaFast,
      BigDecimal emaSlow,
      BigDecimal lastFast,
      BigDecimal lastSlow) {
    public State {
      closes = List.copyOf(closes);
    }
  }

  /** The type: parameters and construction. */
  public static final StrategyType<Parameters> TYPE =
      BuiltIns.type(
          NAME,
          "BUY when the fast moving average of closes crosses above the slow one, SELL when it"
              + " crosses below.",
          List.of(
              BuiltIns.WINDOW,
              ParamSpec.integer(
                  "fast",
                  5,
                  1,
                  StrategyTypes.MAX_LOOKBACK - 1,
                  "Windows of the fast average; less than slow."),
              ParamSpec.integer(
                  "slow",
                  20,
                  2,
                  StrategyTypes.MAX_LOOKBACK,
                  "Windows of the slow average; more than fast."),
              ParamSpec.choice(
                  "kind",
                  "sma",
                  List.of("sma", "ema"),
                  "sma: mean of the last N closes; ema: exponential, α = 2/(N+1), seeded with"
                      + " the SMA of the first N closes.")),
          MaCrossover::bind,
          MaCrossover::new);

  private static Parameters bind(Params p) {
    int fast = p.integer("fast");
    int slow = p.integer("slow");
    if (fast >= slow) {
      throw new InvalidParameterException(
          "slow", "must be greater than fast (" + fast + "), got '" + slow + "'");
    }
    return new Parameters(
        BuiltIns.window(p), fast, slow, Kind.valueOf(p.choice("kind").toUpperCase(Locale.ROOT)));
  }

  private final BigDecimal alphaFast;
  private final BigDecimal alphaSlow;

  public MaCrossover(String id, Parameters params) {
    super(
        id,
        NAME,
        params,
        "fast",
        params.fast(),
        "kind",
        params.kind().label(),
        "slow",
        params.slow());
    if (params.fast() < 1 || params.fast() >= params.slow()) {
      throw new IllegalArgumentException("need 1 <= fast < slow: " + params);
    }
    this.alphaFast = alpha(params.fast());
    this.alphaSlow = alpha(params.slow());
  }

  private static BigDecimal alpha(int n) {
    return Decimals.divide(BigDecimal.valueOf(2), BigDecimal.valueOf(n + 1L));
  }

  @Override
  protected State initial() {
    return new State(List.of(), null, null, null, null);
  }

  private static BigDecimal ema(BigDecimal previous, BigDecimal close, BigDecimal alpha) {
    return previous
        .add(alpha.multiply(close.subtract(previous)))
        .setScale(Decimals.SCALE, Decimals.ROUNDING);
  }

  @Override
  protected Step<State> next(State s, WindowMetrics m) {
    int nFast = params.fast();
    int nSlow = params.slow();
    List<BigDecimal> closes = Decimals.push(s.closes(), m.close(), nSlow);
    BigDecimal fast = null;
    BigDecimal slow = null;
    BigDecimal emaFast = null;
    BigDecimal emaSlow = null;
    if (params.kind() == Kind.SMA) {
      if (closes.size() >= nSlow) {
        fast = Decimals.meanOfLast(closes, nFast);
        slow = Decimals.meanOfLast(closes, nSlow);
      }
    } else {
      if (s.emaFast() != null) {
        emaFast = ema(s.emaFast(), m.close(), alphaFast);
      } else if (closes.size() >= nFast) {
        emaFast = Decimals.meanOfLast(closes, nFast);
      }
      if (s.emaSlow() != null) {
        emaSlow = ema(s.emaSlow(), m.close(), alphaSlow);
      } else if (closes.size() >= nSlow) {
        emaSlow = Decimals.meanOfLast(closes, nSlow);
      }
      if (emaFast != null && emaSlow != null) {
        fast = emaFast;
        slow = emaSlow;
      }
    }
    State next = new State(closes, emaFast, emaSlow, fast, slow);
    if (fast == null || s.lastFast() == null) {
      return Step.quiet(next);
    }
    Signal.Side side = null;
    if (s.lastFast().compareTo(s.lastSlow()) <= 0 && fast.compareTo(slow) > 0) {
      side = Signal.Side.BUY;
    } else if (s.lastFast().compareTo(s.lastSlow()) >= 0 && fast.compareTo(slow) < 0) {
      side = Signal.Side.SELL;
    }
    if (side == null) {
      return Step.quiet(next);
    }
    String k = params.kind().name();
    String reason =
        m.symbol()
            + " fast "
            + k
            + "("
            + nFast
            + ") "
            + Decimals.show(fast)
            + " crossed "
            + (side == Signal.Side.BUY ? "above" : "below")
            + " slow "
            + k
            + "("
            + nSlow
            + ") "
            + Decimals.show(slow)
            + " on "
            + m.window().label()
            + " closes (close "
            + m.close().toPlainString()
            + ")";
    return emit(next, signal(m, Signal.Kind.SIGNAL, side, reason));
  }

  @Override
  void write(State s, StateFormat.Writer out) {
    out.writeDecimals(s.closes())
        .writeDecimal(s.emaFast())
        .writeDecimal(s.emaSlow())
        .writeDecimal(s.lastFast())
        .writeDecimal(s.lastSlow());
  }

  @Override
  State read(StateFormat.Reader in) {
    List<BigDecimal> closes = in.readDecimals();
    BigDecimal emaFast = in.readDecimal();
    BigDecimal emaSlow = in.readDecimal();
    BigDecimal lastFast = in.readDecimal();
    BigDecimal lastSlow = in.readDecimal();
    if ((lastFast == null) != (lastSlow == null)) {
      throw new StateFormatException("strategy " + id() + ": damaged state (one average only)");
    }
    return new State(closes, emaFast, emaSlow, lastFast, lastSlow);
  }
}
