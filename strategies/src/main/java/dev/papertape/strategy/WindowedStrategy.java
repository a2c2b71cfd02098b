package dev.papertape.strategy;

import dev.papertape.model.MetricWindow;
import dev.papertape.model.Signal;
import dev.papertape.model.WindowMetrics;
import java.util.Objects;
import java.util.Optional;

/**
 * The shared frame of the built-ins and alert rules: the window-size filter, the replay guard (a
 * window that does not end after the last consumed one is ignored), the state header and the
 * signal's fixed fields. A subclass supplies only its own state and step.
 *
 * @param <S> the subclass's own immutable state
 */
public abstract class WindowedStrategy<S> implements Strategy<Tracked<S>> {
  private final String id;
  private final MetricWindow window;
  private final String fingerprint;

  protected WindowedStrategy(String id, MetricWindow window, String fingerprint) {
    this.id = Ids.check("id", id);
    this.window = Objects.requireNonNull(window, "window");
    this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
  }

  @Override
  public final String id() {
    return id;
  }

  @Override
  public final MetricWindow window() {
    return window;
  }

  @Override
  public final String fingerprint() {
    return fingerprint;
  }

  @Override
  public final Tracked<S> initialState() {
    return new Tracked<>(null, initial());
  }

  @Override
  public final Step<Tracked<S>> onMetric(Tracked<S> state, WindowMetrics m) {
    if (m.window() != window
        || !accepts(m)
        || state.lastWindowEnd() != null && !m.windowEnd().isAfter(state.lastWindowEnd())) {
      return Step.quiet(state);
    }
    Step<S> next = next(state.value(), m);
    return new Step<>(new Tracked<>(m.windowEnd(), next.state()), next.signal());
  }

  @Override
  public final byte[] encodeState(Tracked<S> state) {
    StateFormat.Writer w = new StateFormat.Writer(fingerprint).writeInstant(state.lastWindowEnd());
    write(state.value(), w);
    return w.toBytes();
  }

  @Override
  public final Tracked<S> decodeState(byte[] bytes) {
    StateFormat.Reader r = new StateFormat.Reader(bytes, fingerprint, "strategy " + id);
    Tracked<S> state = new Tracked<>(r.readInstant(), read(r));
    r.end();
    return state;
  }

  /** Whether the metric concerns this instance at all (an alert rule: only its symbol). */
  protected boolean accepts(WindowMetrics m) {
    return true;
  }

  /** The own state of a symbol never seen. */
  protected abstract S initial();

  /** One step on a metric of this window size that comes after the last one consumed. */
  protected abstract Step<S> next(S state, WindowMetrics m);

  abstract void write(S state, StateFormat.Writer out);

  abstract S read(StateFormat.Reader in);

  /** A signal of this instance for window {@code m}: deterministic id, price = close, ts = end. */
  protected final Signal signal(
      WindowMetrics m, Signal.Kind kind, Signal.Side side, String reason) {
    String tag = side == null ? kind.name() : side.name();
    return new Signal(
        SignalIds.of(id, m.symbol(), m.window(), m.windowEnd(), tag),
        kind,
        m.symbol(),
        id,
        side,
        m.close(),
        reason.length() > Signal.MAX_REASON ? reason.substring(0, Signal.MAX_REASON) : reason,
        m.windowEnd());
  }

  protected static <S> Step<S> emit(S state, Signal signal) {
    return new Step<>(state, Optional.of(signal));
  }

  @Override
  public String toString() {
    return id + "=" + fingerprint;
  }
}
