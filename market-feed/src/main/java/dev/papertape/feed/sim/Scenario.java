package dev.papertape.feed.sim;

/**
 * A scripted move on top of the random walk: a multiplier of a symbol's model price at a simulated
 * time. A pure function of its arguments, so a scenario keeps the simulator deterministic: the same
 * seed, settings and scenario give the same trades.
 */
public interface Scenario {
  /** No scripted move: every factor is exactly 1, so the trades are the plain simulator's. */
  Scenario NONE = new None();

  /**
   * The factor the model price of {@code symbol} is multiplied by at {@code nanos} of simulated
   * time since the start of the run; 1 for no change, always greater than 0.
   */
  double factor(String symbol, long nanos);

  /** What it does, for the start-up log line. */
  String describe();

  /** {@link #NONE}. */
  final class None implements Scenario {
    private None() {}

    @Override
    public double factor(String symbol, long nanos) {
      return 1.0;
    }

    @Override
    public String describe() {
      return "none";
    }
  }
}
