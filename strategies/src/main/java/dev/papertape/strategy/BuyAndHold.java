package dev.papertape.strategy;

import dev.papertape.model.MetricWindow;
import dev.papertape.model.Signal;
import dev.papertape.model.WindowMetrics;
import java.util.List;

/**
 * Buy and hold: one BUY per symbol, on the first window of its size the instance consumes for that
 * symbol, and never anything else. The baseline a backtest compares a strategy with.
 *
 * <ul>
 *   <li>the first consumed window of a symbol emits a BUY at its close (ts = its end);
 *   <li>every later window of that symbol emits nothing, whatever the prices;
 *   <li>no warm-up: the first signal is at window 1.
 * </ul>
 */
public final class BuyAndHold extends BuiltInStrategy<BuyAndHold.Parameters, BuyAndHold.State> {

  /** The type's name in control events, the API and {@code ./papertape backtest}. */
  public static final String NAME = "buy-and-hold";

  /**
   * Typed parameters.
   *
   * @param window the window size consumed
   */
  public record Parameters(MetricWindow window) implements BuiltInStrategy.Windowed {}

  /**
   * The own state.
   *
   * @param bought whether the BUY of this symbol was emitted
   */
  public record State(boolean bought) {}

  /** The type: parameters and construction. */
  public static final StrategyType<Parameters> TYPE =
      BuiltIns.type(
          NAME,
          "One BUY per symbol on its first window, then nothing: the buy-and-hold baseline.",
          List.of(BuiltIns.WINDOW),
          p -> new Parameters(BuiltIns.window(p)),
          BuyAndHold::new);

  public BuyAndHold(String id, Parameters params) {
    super(id, NAME, params);
  }

  @Override
  protected State initial() {
    return new State(false);
  }

  @Override
  protected Step<State> next(State s, WindowMetrics m) {
    if (s.bought()) {
      return Step.quiet(s);
    }
    String reason =
        m.symbol()
            + " first "
            + m.window().label()
            + " window (close "
            + m.close().toPlainString()
            + "): buy and hold";
    return emit(new State(true), signal(m, Signal.Kind.SIGNAL, Signal.Side.BUY, reason));
  }

  @Override
  void write(State s, StateFormat.Writer out) {
    out.writeByte(s.bought() ? 1 : 0);
  }

  @Override
  State read(StateFormat.Reader in) {
    int b = in.readByte();
    if (b != 0 && b != 1) {
      throw new StateFormatException(
          "strategy " + id() + ": damaged state (bought flag " + b + ")");
    }
    return new State(b == 1);
  }
}
