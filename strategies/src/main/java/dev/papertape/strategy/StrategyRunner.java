package dev.papertape.strategy;

import dev.papertape.model.Signal;
import dev.papertape.model.Symbols;
import dev.papertape.model.WindowMetrics;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A strategy with its per-symbol states kept in memory: the {@code Optional<Signal> onMetric(String
 * symbol, WindowMetrics m)} of the design, for tests, backtests and tools. Not thread-safe; the
 * signals job keeps the states in Flink keyed state instead.
 *
 * @param <S> the strategy's state
 */
public final class StrategyRunner<S> {
  private final Strategy<S> strategy;
  private final Map<String, S> states = new HashMap<>();

  private StrategyRunner(Strategy<S> strategy) {
    this.strategy = strategy;
  }

  public static <S> StrategyRunner<S> of(Strategy<S> strategy) {
    return new StrategyRunner<>(strategy);
  }

  public Strategy<S> strategy() {
    return strategy;
  }

  /**
   * Feeds one metric of {@code symbol}.
   *
   * @throws IllegalArgumentException when {@code symbol} is not the metric's symbol
   */
  public Optional<Signal> onMetric(String symbol, WindowMetrics m) {
    String key = Symbols.normalize("symbol", symbol);
    if (!key.equals(m.symbol())) {
      throw new IllegalArgumentException("metric of " + m.symbol() + " fed as " + key);
    }
    Step<S> step = strategy.onMetric(states.getOrDefault(key, strategy.initialState()), m);
    states.put(key, step.state());
    return step.signal();
  }

  /** Feeds one metric under its own symbol. */
  public Optional<Signal> onMetric(WindowMetrics m) {
    return onMetric(m.symbol(), m);
  }

  /** The state of {@code symbol}: the initial state when none was fed. */
  public S state(String symbol) {
    return states.getOrDefault(Symbols.normalize("symbol", symbol), strategy.initialState());
  }
}
