/**
 * Strategies and alert rules as plain Java: the same code runs in the signals job (Flink), in a
 * bounded backtest and in the API (to validate parameters before a control event is published).
 *
 * <h2>The API: a pure step function over explicit per-symbol state</h2>
 *
 * A {@link dev.papertape.strategy.Strategy Strategy&lt;S&gt;} is an immutable, configured instance
 * with {@code S initialState()} and {@code Step<S> onMetric(S state, WindowMetrics m)}: the next
 * state and at most one {@link dev.papertape.model.Signal Signal}. Why not an object that keeps its
 * own mutable fields, as in {@code Optional<Signal> onMetric(String symbol, WindowMetrics m)}?
 *
 * <ul>
 *   <li><b>Flink owns the state.</b> The signals job keys the metrics by symbol; each instance's
 *       state of that symbol lives in keyed state, checkpointed with the job. With an explicit
 *       state value the operator reads it, steps, writes it back: nothing hides in fields of a
 *       broadcast object that no checkpoint sees, and a restart loses nothing. One strategy object
 *       serves every symbol and every parallel key.
 *   <li><b>State as bytes, under our control.</b> {@link
 *       dev.papertape.strategy.Strategy#encodeState encodeState} writes a small binary layout
 *       (version byte, the instance's fingerprint of type and parameters, then fixed fields; never
 *       Java serialization), so the job keeps one {@code MapState<String, byte[]>} per symbol,
 *       keyed by instance id, for every strategy type: no Kryo, no per-type serializer, a layout
 *       change is a new version byte. {@link dev.papertape.strategy.Strategy#onMetricEncoded
 *       onMetricEncoded} is the whole operator step on bytes; a re-activation with another type or
 *       other parameters finds a different fingerprint and starts a fresh warm-up.
 *   <li><b>Determinism is checkable.</b> Same state and metric give the same next state and signal,
 *       so "a run interrupted and restored from bytes at every step equals an uninterrupted run" is
 *       a plain unit test (the contract test), and backtest/live parity follows by construction.
 *       Signal ids are name-based UUIDs of (instance, symbol, window, window end, side) — see
 *       {@link dev.papertape.strategy.SignalIds} — so a replay upserts the same rows and an
 *       auto-trade is idempotent per signal id.
 *   <li><b>The design's convenience stays.</b> {@link dev.papertape.strategy.StrategyRunner} keeps
 *       states in a map and offers {@code Optional<Signal> onMetric(String symbol, WindowMetrics
 *       m)} for tests, backtests and tools.
 * </ul>
 *
 * <h2>Shared rules ({@link dev.papertape.strategy.WindowedStrategy})</h2>
 *
 * An instance consumes metrics of one window size (its {@code window} parameter, default {@code
 * 1m}) and ignores the others. Metrics of a symbol must come in window order; one whose window does
 * not end after the last consumed window of that symbol is ignored (a replay), state unchanged. A
 * signal's {@code kind} is {@code SIGNAL} ({@code ALERT} for a rule), {@code source} the instance
 * id, {@code price} the window's close, {@code ts} the window's end, {@code reason} a sentence with
 * the numbers. Arithmetic is {@link java.math.BigDecimal} throughout, quotients at 16 places
 * half-up.
 *
 * <h2>Parameters</h2>
 *
 * {@link dev.papertape.strategy.StrategyTypes} is the registry by name; each {@link
 * dev.papertape.strategy.StrategyType} declares its {@link dev.papertape.strategy.ParamSpec
 * parameters} and parses a {@code Map<String, String>} into a typed record. Unknown, malformed and
 * out-of-range parameters are an {@link dev.papertape.strategy.InvalidParameterException} naming
 * the parameter and the accepted range.
 *
 * <h2>Control events</h2>
 *
 * {@link dev.papertape.strategy.ControlEventCodec} reads and writes the compacted {@code
 * strategy-control} topic: activate/deactivate a strategy instance, add/remove an alert rule.
 */
package dev.papertape.strategy;
