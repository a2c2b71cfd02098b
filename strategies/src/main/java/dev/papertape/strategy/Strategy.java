package dev.papertape.strategy;

import dev.papertape.model.MetricWindow;
import dev.papertape.model.WindowMetrics;

/**
 * One configured strategy instance (or alert rule): a pure step function over explicit per-symbol
 * state. See the {@linkplain dev.papertape.strategy package documentation} for why.
 *
 * <p>Implementations are immutable and thread-safe; the state values they take and return are
 * immutable. The caller keeps one state per symbol (Flink: keyed state of the symbol) and feeds it
 * the symbol's {@link WindowMetrics} in window order.
 *
 * @param <S> the per-symbol state, an immutable value
 */
public interface Strategy<S> {

  /** The instance id: a signal's {@code source}. */
  String id();

  /** The only window size this instance consumes; metrics of other sizes are ignored. */
  MetricWindow window();

  /** The state of a symbol never seen. */
  S initialState();

  /**
   * Consumes one metric of the state's symbol. Ignores (returns the state unchanged, no signal) a
   * metric of another window size and one whose window does not end after the last one consumed (a
   * replay). Never throws for a valid {@link WindowMetrics}.
   */
  Step<S> onMetric(S state, WindowMetrics metric);

  /**
   * The state as bytes: a version byte, this instance's {@link #fingerprint()}, then the strategy's
   * fields in a fixed binary layout. Never Java serialization.
   */
  byte[] encodeState(S state);

  /**
   * Reads {@link #encodeState} bytes of this instance.
   *
   * @throws StateFormatException when the bytes are damaged, of another layout version, or of
   *     another strategy type or parameters (see {@link #fingerprint()})
   */
  S decodeState(byte[] bytes);

  /**
   * What the state belongs to: the strategy type and its canonical parameters, e.g. {@code
   * vwap-deviation{lookback=20,thresholdPct=0.5,window=1m}}. Two instances with equal fingerprints
   * read each other's state; the id is not part of it.
   */
  String fingerprint();

  /**
   * The step on encoded state, for a caller that keeps bytes (Flink {@code MapState<String,
   * byte[]>} keyed by symbol, one entry per instance id): {@code null} or state of another
   * fingerprint (the id was re-activated with another type or other parameters) starts from {@link
   * #initialState()}, i.e. a fresh warm-up.
   *
   * @throws StateFormatException when the bytes are damaged
   */
  default Step<byte[]> onMetricEncoded(byte[] state, WindowMetrics metric) {
    S current =
        state == null || !StateFormat.hasFingerprint(state, fingerprint())
            ? initialState()
            : decodeState(state);
    Step<S> next = onMetric(current, metric);
    return new Step<>(encodeState(next.state()), next.signal());
  }
}
