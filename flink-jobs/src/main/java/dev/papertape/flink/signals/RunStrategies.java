package dev.papertape.flink.signals;

import dev.papertape.flink.io.RateLimitedLog;
import dev.papertape.model.DeadLetter;
import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.Signal;
import dev.papertape.model.WindowMetrics;
import dev.papertape.strategy.ControlEvent;
import dev.papertape.strategy.ControlEventCodec;
import dev.papertape.strategy.StateFormatException;
import dev.papertape.strategy.Step;
import dev.papertape.strategy.Strategy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the active strategy instances and alert rules on the metrics of one symbol (the key).
 *
 * <ul>
 *   <li><b>Broadcast side</b> ({@code strategy-control}): each record is decoded with {@link
 *       ControlEventCodec}. An activation or a new rule is kept in the broadcast {@link #CONTROL}
 *       state under its Kafka key ({@code strategy/<id>}, {@code alert-rule/<id>}) as its canonical
 *       encoding; a deactivation, a removal or a tombstone removes the key. A record that does not
 *       decode goes to {@link #DEAD_LETTERS} with the reason and changes nothing.
 *   <li><b>Keyed side</b> (metrics by symbol): every active instance whose symbols include the key
 *       and whose window size is the metric's steps once ({@link Strategy#onMetricEncoded}) over
 *       its state of this symbol, kept in the keyed {@code MapState<control key, state bytes>}; its
 *       signal, if any, is emitted. Instances run in key order, so the output order is
 *       deterministic.
 * </ul>
 *
 * Instances are rebuilt from the broadcast state into a transient cache (never checkpointed: the
 * broadcast state is), so an activation takes effect on the next metric without a restart. The
 * state of an instance that was deactivated, or whose symbols no longer include the key, is dropped
 * on the key's next metric; a re-activation with another type or other parameters starts a fresh
 * warm-up (the state's fingerprint differs).
 *
 * <p><b>Initial control events</b> (a backtest: {@link #RunStrategies(ControlEventCodec, Clock,
 * List)}) are in effect before the first element, whatever the broadcast side delivers and when:
 * they are the base under the broadcast state, which can add instances, replace them, or deactivate
 * them (a deactivation of an initial key is kept in the broadcast state as an empty value). Without
 * initial events (the live job) the operator behaves exactly as described above.
 */
public class RunStrategies
    extends KeyedBroadcastProcessFunction<String, WindowMetrics, ControlRecord, Signal> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(RunStrategies.class);

  /** The active instances and rules: control key → canonical encoded control event. */
  public static final MapStateDescriptor<String, byte[]> CONTROL =
      new MapStateDescriptor<>(
          "strategy-control", Types.STRING, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

  /** Control records that are not valid control events, bound for the control dead-letter topic. */
  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("control-dead-letters") {};

  private static final MapStateDescriptor<String, byte[]> STATES =
      new MapStateDescriptor<>(
          "strategy-states", Types.STRING, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

  /** In the broadcast state: an initial instance or rule deactivated by a control event. */
  private static final byte[] REMOVED = new byte[0];

  private final ControlEventCodec codec;
  private final Clock clock;

  /** Initial control events: control key → canonical encoding (empty for the live job). */
  private final TreeMap<String, byte[]> initial;

  private transient MapState<String, byte[]> states;
  private transient Map<String, Instance> cache;
  private transient Counter applied;
  private transient Counter invalid;
  private transient Counter emitted;
  private transient Counter stateResets;
  private transient Counter unusable;
  private transient RateLimitedLog warnings;

  /** A configured instance built from its encoded control event, and where it runs. */
  private record Instance(byte[] encoded, Strategy<?> strategy, ControlEvent event) {
    boolean appliesTo(String symbol) {
      if (event instanceof ControlEvent.ActivateStrategy a) {
        return a.appliesTo(symbol);
      }
      return ((ControlEvent.AddAlertRule) event).rule().symbol().equals(symbol);
    }
  }

  public RunStrategies(ControlEventCodec codec, Clock clock) {
    this(codec, clock, List.of());
  }

  /**
   * With control events in effect before the first metric (see the class comment), each decoded and
   * validated now.
   *
   * @throws IllegalArgumentException naming the record and the reason when one is not a valid
   *     activation or alert rule
   */
  public RunStrategies(ControlEventCodec codec, Clock clock, List<ControlRecord> initialControl) {
    this.codec = codec;
    this.clock = clock;
    this.initial = new TreeMap<>();
    for (ControlRecord r : initialControl) {
      ControlEvent event;
      byte[] canonical;
      try {
        event = codec.decode(r.key, r.value);
        canonical = canonical(event);
      } catch (InvalidRecordException e) {
        throw new IllegalArgumentException(
            "initial control event " + r.key + " is invalid: " + e.getMessage(), e);
      }
      if (canonical == null) {
        throw new IllegalArgumentException(
            "initial control event " + r.key + " deactivates: only activations and rules apply");
      }
      initial.put(event.key(), canonical);
    }
  }

  public RunStrategies() {
    this(new ControlEventCodec(), Clock.systemUTC());
  }

  @Override
  public void open(OpenContext ctx) {
    states = getRuntimeContext().getMapState(STATES);
    cache = new HashMap<>();
    applied = getRuntimeContext().getMetricGroup().counter("controlEventsApplied");
    invalid = getRuntimeContext().getMetricGroup().counter("controlEventsInvalid");
    emitted = getRuntimeContext().getMetricGroup().counter("signalsEmitted");
    stateResets = getRuntimeContext().getMetricGroup().counter("strategyStateResets");
    unusable = getRuntimeContext().getMetricGroup().counter("controlEventsUnusable");
    warnings = new RateLimitedLog(LOG, Duration.ofSeconds(10));
  }

  @Override
  public void processBroadcastElement(ControlRecord r, Context ctx, Collector<Signal> out)
      throws Exception {
    ControlEvent event;
    byte[] canonical;
    try {
      event = codec.decode(r.key, r.value);
      canonical = canonical(event);
    } catch (InvalidRecordException e) {
      invalid.inc();
      warnings.warn(
          "rejected control event topic={} partition={} offset={} key={} reason=\"{}\": sent to"
              + " the dead-letter topic, nothing changed",
          r.topic,
          r.partition,
          r.offset,
          r.key,
          e.getMessage());
      ctx.output(
          DEAD_LETTERS,
          DeadLetter.of(
              r.topic,
              r.partition,
              r.offset,
              r.key,
              r.value,
              DeadLetter.DECODE,
              e.getMessage(),
              clock.instant()));
      return;
    }
    BroadcastState<String, byte[]> control = ctx.getBroadcastState(CONTROL);
    if (canonical != null) {
      control.put(event.key(), canonical);
      LOG.info("control: {} active", event.key());
    } else {
      if (initial.containsKey(event.key())) {
        control.put(event.key(), REMOVED);
      } else {
        control.remove(event.key());
      }
      LOG.info("control: {} inactive", event.key());
    }
    applied.inc();
  }

  /**
   * The canonical encoding an activation or rule is kept as, {@code null} for a deactivation or
   * removal.
   *
   * @throws InvalidRecordException when the instance or rule does not build
   */
  private byte[] canonical(ControlEvent event) {
    if (event instanceof ControlEvent.ActivateStrategy a) {
      a.create(); // the parameters were validated by the codec; this proves the instance builds
      return codec.encode(a);
    }
    if (event instanceof ControlEvent.AddAlertRule add) {
      add.rule().strategy();
      return codec.encode(add);
    }
    return null;
  }

  @Override
  public void processElement(WindowMetrics m, ReadOnlyContext ctx, Collector<Signal> out)
      throws Exception {
    Map<String, byte[]> active = new TreeMap<>(initial);
    for (Map.Entry<String, byte[]> e : ctx.getBroadcastState(CONTROL).immutableEntries()) {
      if (e.getValue().length == 0) {
        active.remove(e.getKey()); // REMOVED: an initial one deactivated
      } else {
        active.put(e.getKey(), e.getValue());
      }
    }
    dropInactive(active);
    for (Map.Entry<String, byte[]> e : active.entrySet()) {
      Instance instance = instance(e.getKey(), e.getValue());
      if (instance == null || !instance.appliesTo(m.symbol())) {
        if (states.contains(e.getKey())) {
          states.remove(e.getKey()); // its symbols no longer include this one
        }
        continue;
      }
      if (instance.strategy().window() != m.window()) {
        continue;
      }
      Step<byte[]> step = step(e.getKey(), instance.strategy(), m);
      states.put(e.getKey(), step.state());
      if (step.signal().isPresent()) {
        emitted.inc();
        out.collect(step.signal().get());
      }
    }
  }

  private Step<byte[]> step(String key, Strategy<?> strategy, WindowMetrics m) throws Exception {
    try {
      return strategy.onMetricEncoded(states.get(key), m);
    } catch (StateFormatException e) {
      // damaged bytes cannot be repaired: start this instance's warm-up again for this symbol
      stateResets.inc();
      warnings.warn(
          "state of {} for {} is unreadable ({}): starting it afresh", key, m.symbol(), e);
      return strategy.onMetricEncoded(null, m);
    }
  }

  /** Drops the states of instances no longer active (lazily, on the key's next metric). */
  private void dropInactive(Map<String, byte[]> active) throws Exception {
    List<String> gone = new ArrayList<>();
    for (String key : states.keys()) {
      if (!active.containsKey(key)) {
        gone.add(key);
      }
    }
    for (String key : gone) {
      states.remove(key);
    }
    cache.keySet().retainAll(active.keySet());
  }

  /**
   * The instance of a stored control event, or {@code null} when it no longer builds: the event was
   * valid when it was stored, but state restored into a newer version of the job may hold one that
   * this version refuses. Such an instance is skipped (counted, logged) until a new control event
   * for its key replaces it; the job does not fail over it.
   */
  private Instance instance(String key, byte[] encoded) {
    Instance cached = cache.get(key);
    if (cached != null && Arrays.equals(cached.encoded(), encoded)) {
      return cached;
    }
    try {
      ControlEvent event = codec.decode(encoded);
      Strategy<?> strategy =
          event instanceof ControlEvent.ActivateStrategy a
              ? a.create()
              : ((ControlEvent.AddAlertRule) event).rule().strategy();
      Instance built = new Instance(encoded, strategy, event);
      cache.put(key, built);
      return built;
    } catch (InvalidRecordException e) {
      unusable.inc();
      warnings.warn("stored control event {} no longer builds ({}): skipped", key, e.getMessage());
      return null;
    }
  }
}
