package dev.papertape.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.papertape.model.MetricWindow;
import dev.papertape.model.Signal;
import dev.papertape.model.WindowMetrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The contract every strategy type passes (issue 16): determinism, parameter validation, state
 * snapshot and restore through bytes at every step, no signal before warm-up, replays and other
 * window sizes ignored, and a seeded property over random metric sequences. A strategy's test
 * extends this class and supplies its parameters, a hand-computed series and its warm-up.
 */
abstract class StrategyContractTest {
  static final String ID = "contract-1";
  static final long SEED = 16L;
  static final int RANDOM_RUNS = 150;

  /** A parameter set that must be rejected, naming {@code parameter}. */
  record Invalid(String parameter, Map<String, String> params) {}

  /** The type under test. */
  abstract StrategyType<?> type();

  /** Valid parameters for {@link #series()}; their window must be 1m. */
  abstract Map<String, String> params();

  /** Parameter sets that must be rejected, each with the parameter the error must name. */
  abstract List<Invalid> invalidParams();

  /** The 1-based number of the first consumed window that can emit a signal. */
  abstract int firstPossibleSignal();

  /** A hand-computed 1m series of symbol {@code TEST} that emits at least one signal. */
  abstract List<WindowMetrics> series();

  final Strategy<?> strategy() {
    return type().create(ID, params());
  }

  static <S> List<Signal> run(Strategy<S> s, List<WindowMetrics> metrics) {
    return perWindow(s, metrics).stream().filter(Objects::nonNull).toList();
  }

  /** Signals per input position ({@code null} where none). */
  static <S> List<Signal> perWindow(Strategy<S> s, List<WindowMetrics> metrics) {
    List<Signal> out = new ArrayList<>();
    S state = s.initialState();
    for (WindowMetrics m : metrics) {
      Step<S> step = s.onMetric(state, m);
      state = step.state();
      out.add(step.signal().orElse(null));
    }
    return out;
  }

  /** The side per input position of {@link #perWindow} signals, {@code -} where none. */
  static List<String> sides(List<Signal> perWindow) {
    return perWindow.stream().map(x -> x == null ? "-" : x.side().name()).toList();
  }

  /** Runs with the state written to bytes and read back (a fresh instance) after every step. */
  static <S> List<Signal> runRestoredEveryStep(
      Strategy<S> s, java.util.function.Supplier<Strategy<?>> fresh, List<WindowMetrics> metrics) {
    List<Signal> out = new ArrayList<>();
    byte[] bytes = s.encodeState(s.initialState());
    for (WindowMetrics m : metrics) {
      @SuppressWarnings("unchecked")
      Strategy<S> restored = (Strategy<S>) fresh.get();
      Step<S> step = restored.onMetric(restored.decodeState(bytes), m);
      bytes = restored.encodeState(step.state());
      step.signal().ifPresent(out::add);
    }
    return out;
  }

  static <S> List<Signal> runEncoded(Strategy<S> s, List<WindowMetrics> metrics) {
    List<Signal> out = new ArrayList<>();
    byte[] bytes = null;
    for (WindowMetrics m : metrics) {
      Step<byte[]> step = s.onMetricEncoded(bytes, m);
      bytes = step.state();
      step.signal().ifPresent(out::add);
    }
    return out;
  }

  static <S> byte[] finalState(Strategy<S> s, List<WindowMetrics> metrics) {
    S state = s.initialState();
    for (WindowMetrics m : metrics) {
      state = s.onMetric(state, m).state();
    }
    return s.encodeState(state);
  }

  @Test
  void theSeriesEmitsSignals() {
    assertThat(run(strategy(), series())).isNotEmpty();
  }

  @Test
  void sameInputTwiceGivesTheSameSignals() {
    List<Signal> first = run(strategy(), series());
    List<Signal> second = run(strategy(), series());
    assertThat(second).isEqualTo(first);
    SplittableRandom r = new SplittableRandom(SEED);
    List<WindowMetrics> walk = Bars.randomWalk(r, "TEST", MetricWindow.M1, 400);
    assertThat(run(strategy(), walk)).isEqualTo(run(strategy(), walk));
  }

  @Test
  void signalsFollowTheSignalContract() {
    Strategy<?> s = strategy();
    List<WindowMetrics> series = series();
    List<Signal> signals = perWindow(s, series);
    for (int i = 0; i < series.size(); i++) {
      Signal sig = signals.get(i);
      if (sig == null) {
        continue;
      }
      WindowMetrics m = series.get(i);
      assertThat(sig.kind()).isEqualTo(Signal.Kind.SIGNAL);
      assertThat(sig.source()).isEqualTo(ID);
      assertThat(sig.symbol()).isEqualTo(m.symbol());
      assertThat(sig.side()).isNotNull();
      assertThat(sig.price()).isEqualTo(m.close());
      assertThat(sig.ts()).isEqualTo(m.windowEnd());
      assertThat(sig.reason()).contains(m.symbol());
      assertThat(sig.id())
          .isEqualTo(SignalIds.of(ID, m.symbol(), m.window(), m.windowEnd(), sig.side().name()));
    }
  }

  @Test
  void defaultParametersAreValid() {
    Strategy<?> s = type().create(ID, Map.of());
    assertThat(s.window()).isEqualTo(MetricWindow.M1);
    assertThat(StrategyTypes.get(type().name())).isSameAs(type());
    assertThat(StrategyTypes.canonicalParams(type().name(), Map.of()).keySet())
        .containsExactlyInAnyOrderElementsOf(
            type().parameters().stream().map(ParamSpec::name).toList());
  }

  @Test
  void invalidParametersAreRejectedNamingTheParameter() {
    assertThat(invalidParams()).isNotEmpty();
    for (Invalid invalid : invalidParams()) {
      assertThatThrownBy(() -> type().parse(invalid.params()))
          .as("%s", invalid)
          .isInstanceOfSatisfying(
              InvalidParameterException.class,
              e -> {
                assertThat(e.parameter()).isEqualTo(invalid.parameter());
                assertThat(e.field()).isEqualTo("params." + invalid.parameter());
              });
    }
  }

  @Test
  void unknownParametersAndBadWindowsAreRejected() {
    Map<String, String> p = new HashMap<>(params());
    p.put("lookbak", "3");
    assertThatThrownBy(() -> type().parse(p))
        .isInstanceOfSatisfying(
            InvalidParameterException.class,
            e -> {
              assertThat(e.parameter()).isEqualTo("lookbak");
              assertThat(e.problem()).startsWith("unknown parameter; accepted: window");
            });
    Map<String, String> w = new HashMap<>(params());
    w.put("window", "2m");
    assertThatThrownBy(() -> type().parse(w))
        .isInstanceOfSatisfying(
            InvalidParameterException.class,
            e ->
                assertThat(e.getMessage())
                    .isEqualTo(
                        "field 'params.window': must be one of 1s, 1m, 5m, 1h, 1d, got '2m'"));
  }

  @Test
  void stateRestoredFromBytesAtEveryStepGivesTheUninterruptedRun() {
    Map<String, String> params = params();
    assertThat(runRestoredEveryStep(strategy(), () -> type().create(ID, params), series()))
        .isEqualTo(run(strategy(), series()));
    assertThat(runEncoded(strategy(), series())).isEqualTo(run(strategy(), series()));
    SplittableRandom r = new SplittableRandom(SEED + 1);
    for (int i = 0; i < 20; i++) {
      List<WindowMetrics> walk = Bars.randomWalk(r, "TEST", MetricWindow.M1, 200);
      assertThat(runRestoredEveryStep(strategy(), () -> type().create(ID, params), walk))
          .isEqualTo(run(strategy(), walk));
    }
  }

  @Test
  void noSignalBeforeWarmUp() {
    List<Signal> signals = perWindow(strategy(), series());
    // AssertJ refuses containsOnlyNulls on an empty list: a strategy without warm-up checks nothing
    assertThat(signals.subList(0, firstPossibleSignal() - 1)).allMatch(Objects::isNull);
  }

  @Test
  void replayedAndOlderMetricsAreIgnored() {
    Strategy<?> s = strategy();
    List<WindowMetrics> series = series();
    List<WindowMetrics> replayed = new ArrayList<>();
    for (int i = 0; i < series.size(); i++) {
      replayed.add(series.get(i));
      replayed.add(series.get(i)); // the same window again
      if (i > 0) {
        replayed.add(series.get(i - 1)); // an older one
        replayed.add(series.get(0));
      }
    }
    assertThat(run(s, replayed)).isEqualTo(run(s, series));
    assertThat(finalState(s, replayed)).isEqualTo(finalState(s, series));
  }

  @Test
  void otherWindowSizesAreIgnored() {
    Strategy<?> s = strategy();
    List<WindowMetrics> series = series();
    List<WindowMetrics> mixed = new ArrayList<>();
    for (WindowMetrics m : series) {
      for (MetricWindow w : MetricWindow.values()) {
        if (w != MetricWindow.M1) {
          mixed.add(Bars.resized(m, w));
        }
      }
      mixed.add(m);
    }
    assertThat(run(s, mixed)).isEqualTo(run(s, series));
    assertThat(finalState(s, mixed)).isEqualTo(finalState(s, series));
    List<WindowMetrics> onlyOthers =
        mixed.stream().filter(m -> m.window() != MetricWindow.M1).toList();
    assertThat(finalState(s, onlyOthers)).isEqualTo(finalState(s, List.of()));
  }

  @Test
  void stateOfOtherParametersStartsAFreshWarmUp() {
    Strategy<?> s = strategy();
    Strategy<?> other = type().create(ID, Map.of("window", "5m"));
    byte[] foreign = finalState(other, List.of());
    assertThatThrownBy(() -> s.decodeState(foreign)).isInstanceOf(StateFormatException.class);
    Step<byte[]> step = s.onMetricEncoded(foreign, series().get(0));
    assertThat(step.state()).isEqualTo(s.onMetricEncoded(null, series().get(0)).state());
  }

  @Test
  void damagedStateIsRejected() {
    Strategy<?> s = strategy();
    byte[] bytes = finalState(s, series());
    for (int cut = 0; cut < bytes.length; cut++) {
      byte[] truncated = Arrays.copyOf(bytes, cut);
      assertThatThrownBy(() -> s.decodeState(truncated))
          .as("cut at %d", cut)
          .isInstanceOf(StateFormatException.class);
    }
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    assertThatThrownBy(() -> s.decodeState(longer)).isInstanceOf(StateFormatException.class);
    byte[] version = bytes.clone();
    version[0] = 2;
    assertThatThrownBy(() -> s.decodeState(version))
        .isInstanceOf(StateFormatException.class)
        .hasMessageContaining("version 2");
  }

  /**
   * The property: for a fixed seed, random sequences (random length, prices, zero and huge volumes,
   * gaps, replays and other window sizes mixed in) never throw, never emit before warm-up, and emit
   * the same after a byte round-trip at every step.
   */
  @Test
  void randomSequencesNeverThrowNorSignalBeforeWarmUp() {
    SplittableRandom r = new SplittableRandom(SEED + 2);
    Map<String, String> params = params();
    int signals = 0;
    for (int run = 0; run < RANDOM_RUNS; run++) {
      List<WindowMetrics> walk = Bars.randomWalk(r, "TEST", MetricWindow.M1, r.nextInt(0, 120));
      List<WindowMetrics> input = new ArrayList<>();
      for (WindowMetrics m : walk) {
        input.add(m);
        if (r.nextInt(8) == 0) {
          input.add(input.get(r.nextInt(input.size())));
        }
        if (r.nextInt(8) == 0) {
          input.add(Bars.resized(m, MetricWindow.M5));
        }
      }
      signals += checkWarmUp(strategy(), input);
      assertThat(runRestoredEveryStep(strategy(), () -> type().create(ID, params), input))
          .isEqualTo(run(strategy(), input));
    }
    assertThat(signals).as("the property must see signals").isPositive();
  }

  private <S> int checkWarmUp(Strategy<S> s, List<WindowMetrics> input) {
    S state = s.initialState();
    int consumed = 0;
    int signals = 0;
    java.time.Instant last = null;
    for (WindowMetrics m : input) {
      boolean consumes = m.window() == s.window() && (last == null || m.windowEnd().isAfter(last));
      if (consumes) {
        consumed++;
        last = m.windowEnd();
      }
      Step<S> step = s.onMetric(state, m);
      state = step.state();
      Optional<Signal> sig = step.signal();
      if (sig.isPresent()) {
        signals++;
        assertThat(consumes).as("signal on an ignored metric %s", m).isTrue();
        assertThat(consumed)
            .as("signal at window %d", consumed)
            .isGreaterThanOrEqualTo(firstPossibleSignal());
      }
    }
    return signals;
  }
}
