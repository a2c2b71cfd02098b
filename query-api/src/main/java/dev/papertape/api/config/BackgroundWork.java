package dev.papertape.api.config;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A background task of the API whose whole work is one subscription, started and stopped with the
 * application context: {@link #start()} subscribes what {@link #subscribe()} returns (nothing when
 * the task is switched off), {@link #stop()} disposes it.
 */
public abstract class BackgroundWork implements SmartLifecycle {
  private final AtomicReference<Disposable> running = new AtomicReference<>();

  /** Subscribes the work; {@code null} when this instance runs none (switched off). */
  protected abstract Disposable subscribe();

  /**
   * {@code tick} after {@code delay}, then every {@code interval}; a tick that is still running
   * when the next is due makes that one skipped, never queued. {@code tick} must not fail (log and
   * complete instead), or the schedule ends.
   */
  protected static Disposable every(Duration delay, Duration interval, Supplier<Mono<?>> tick) {
    return Flux.interval(delay, interval)
        .onBackpressureDrop()
        .concatMap(t -> tick.get(), 1)
        .subscribe();
  }

  @Override
  public void start() {
    Disposable d = subscribe();
    if (d != null && !running.compareAndSet(null, d)) {
      d.dispose(); // already running
    }
  }

  @Override
  public void stop() {
    Disposable d = running.getAndSet(null);
    if (d != null) {
      d.dispose();
    }
  }

  @Override
  public boolean isRunning() {
    return running.get() != null;
  }
}
