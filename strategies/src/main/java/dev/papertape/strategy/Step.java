package dev.papertape.strategy;

import dev.papertape.model.Signal;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of one step of a {@link Strategy}: the next state and at most one signal.
 *
 * @param state the state after the step (the input state when the metric was ignored)
 * @param signal the signal the step emitted, if any
 * @param <S> the strategy's state type
 */
public record Step<S>(S state, Optional<Signal> signal) {

  public Step {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(signal, "signal");
  }

  /** A step that emits nothing. */
  public static <S> Step<S> quiet(S state) {
    return new Step<>(state, Optional.empty());
  }

  /** A step that emits {@code signal}. */
  public static <S> Step<S> emit(S state, Signal signal) {
    return new Step<>(state, Optional.of(signal));
  }
}
