package dev.papertape.feed.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.feed.Speed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReplayClockTest {
  private static final Instant T0 = Instant.parse("2026-01-05T14:30:00Z");
  private final AtomicLong now = new AtomicLong(5_000_000_000L);
  private final List<Long> sleeps = new ArrayList<>();

  private ReplayClock clock(Speed speed) {
    return new ReplayClock(
        speed,
        now::get,
        n -> {
          sleeps.add(n);
          return true;
        });
  }

  @Test
  void maxNeverWaits() {
    ReplayClock c = clock(Speed.MAX);

    assertThat(c.delayNanos(T0)).isZero();
    assertThat(c.delayNanos(T0.plusSeconds(3600))).isZero();
  }

  @Test
  void realtimeWaitsTheEventGapMinusTheTimeAlreadySpent() {
    ReplayClock c = clock(Speed.REALTIME);

    assertThat(c.delayNanos(T0)).isZero();
    now.addAndGet(200_000_000L);
    assertThat(c.delayNanos(T0.plusSeconds(1))).isEqualTo(800_000_000L);
    now.addAndGet(5_000_000_000L);
    assertThat(c.delayNanos(T0.plusSeconds(2))).isZero(); // late: emit at once
  }

  @Test
  void aFactorDividesEventTime() {
    ReplayClock c = clock(Speed.parse("10x"));

    c.delayNanos(T0);
    assertThat(c.delayNanos(T0.plusSeconds(10))).isEqualTo(1_000_000_000L);
    assertThat(clock(Speed.parse("0.5x")).delayNanos(T0)).isZero();
  }

  @Test
  void anEarlierEventIsEmittedAtOnce() {
    ReplayClock c = clock(Speed.REALTIME);

    c.delayNanos(T0);
    assertThat(c.delayNanos(T0.minusSeconds(1))).isZero();
  }

  @Test
  void awaitSleepsTheDelay() {
    ReplayClock c = clock(Speed.REALTIME);

    assertThat(c.await(T0)).isTrue();
    assertThat(c.await(T0.plusMillis(250))).isTrue();
    assertThat(sleeps).containsExactly(0L, 250_000_000L);
  }
}
