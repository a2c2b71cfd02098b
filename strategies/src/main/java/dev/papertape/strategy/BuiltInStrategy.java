package dev.papertape.strategy;

import dev.papertape.model.MetricWindow;

/**
 * A built-in type's instance: a {@link WindowedStrategy} configured by a typed parameter record,
 * whose window it consumes and whose values (with the type's name) make its fingerprint, per {@link
 * BuiltIns#fingerprint}.
 *
 * @param <P> the typed parameters
 * @param <S> the own immutable state
 */
abstract class BuiltInStrategy<P extends BuiltInStrategy.Windowed, S> extends WindowedStrategy<S> {

  /** Typed parameters of a built-in: every one has a window size. */
  interface Windowed {
    MetricWindow window();
  }

  /** The typed parameters. */
  final P params;

  /**
   * @param type the type's name
   * @param namesAndValues the parameters other than the window: name, value, name, value, ...
   */
  BuiltInStrategy(String id, String type, P params, Object... namesAndValues) {
    super(id, params.window(), BuiltIns.fingerprint(type, params.window(), namesAndValues));
    this.params = params;
  }

  /** The typed parameters. */
  public final P parameters() {
    return params;
  }
}
