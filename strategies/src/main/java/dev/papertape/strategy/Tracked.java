package dev.papertape.strategy;

import java.time.Instant;
import java.util.Objects;

/**
 * A built-in's per-symbol state: the end of the last window consumed (the replay guard) and the
 * strategy's own fields.
 *
 * @param lastWindowEnd end of the last consumed window, {@code null} before the first
 * @param value the strategy's own immutable state
 * @param <S> the strategy's own state
 */
public record Tracked<S>(Instant lastWindowEnd, S value) {
  public Tracked {
    Objects.requireNonNull(value, "value");
  }
}
