package dev.papertape.feed.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.papertape.feed.Sleeper;
import dev.papertape.feed.Speed;
import dev.papertape.model.Trade;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SimulationSourceTest {
  private static final Instant START = Instant.parse("2026-01-05T14:30:00Z");

  /** A wall clock that only moves when the source sleeps. */
  private static final class FakeTime extends Clock {
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final List<Long> sleeps = new ArrayList<>();
    int allowedSleeps = Integer.MAX_VALUE;

    Sleeper sleeper() {
      return n -> {
        if (sleeps.size() >= allowedSleeps) {
          return false;
        }
        sleeps.add(n);
        nanos.addAndGet(Math.max(0, n));
        return true;
      };
    }

    @Override
    public Instant instant() {
      return Instant.parse("2030-01-01T00:00:00Z").plusNanos(nanos.get());
    }

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private static List<Trade> drain(SimulationSource source) {
    List<Trade> out = new ArrayList<>();
    for (Trade t = source.next(); t != null; t = source.next()) {
      out.add(t);
    }
    return out;
  }

  @Test
  void maxModeStopsAtTheCountWithSimulatedEventTimes() {
    FakeTime time = new FakeTime();
    SimulationSource source =
        new SimulationSource(
            new GbmSimulator(SimulatorConfig.DEFAULT, 1),
            Speed.MAX,
            START,
            500,
            null,
            time,
            time.nanos::get,
            time.sleeper());

    List<Trade> trades = drain(source);

    assertThat(trades).hasSize(500);
    assertThat(time.sleeps).isEmpty();
    GbmSimulator same = new GbmSimulator(SimulatorConfig.DEFAULT, 1);
    for (Trade t : trades) {
      assertThat(t).isEqualTo(same.next(START));
    }
  }

  @Test
  void durationBoundsSimulatedTime() {
    FakeTime time = new FakeTime();
    SimulationSource source =
        new SimulationSource(
            new GbmSimulator(SimulatorConfig.DEFAULT, 2),
            Speed.MAX,
            START,
            Long.MAX_VALUE,
            Duration.ofMinutes(1),
            time,
            time.nanos::get,
            time.sleeper());

    List<Trade> trades = drain(source);

    assertThat(trades.size()).isBetween(1_100, 1_300); // 20 trades/s for 60 s
    assertThat(trades.get(trades.size() - 1).ts()).isBefore(START.plusSeconds(60));
  }

  @Test
  void realtimeModeWaitsForEachArrivalAndStampsTheWallClock() {
    FakeTime time = new FakeTime();
    SimulationSource source =
        new SimulationSource(
            new GbmSimulator(SimulatorConfig.DEFAULT, 3),
            Speed.REALTIME,
            START,
            100,
            null,
            time,
            time.nanos::get,
            time.sleeper());
    GbmSimulator reference = new GbmSimulator(SimulatorConfig.DEFAULT, 3);

    List<Trade> trades = drain(source);

    assertThat(trades).hasSize(100);
    long startNanos = 1_000_000_000L;
    for (Trade t : trades) {
      long arrival = reference.nextArrivalNanos();
      Trade expected = reference.emit(time.instant());
      assertThat(t.ts())
          .isEqualTo(
              Instant.parse("2030-01-01T00:00:00Z")
                  .plusNanos(startNanos + arrival)
                  .truncatedTo(ChronoUnit.MILLIS));
      assertThat(t.price()).isEqualTo(expected.price());
      assertThat(t.tradeId()).isEqualTo(expected.tradeId());
    }
  }

  @Test
  void aStopDuringTheWaitEndsTheSource() {
    FakeTime time = new FakeTime();
    time.allowedSleeps = 3;
    SimulationSource source =
        new SimulationSource(
            new GbmSimulator(SimulatorConfig.DEFAULT, 4),
            Speed.REALTIME,
            START,
            100,
            null,
            time,
            time.nanos::get,
            time.sleeper());

    assertThat(drain(source)).hasSize(3);
  }

  @Test
  void onlyRealtimeAndMaxAreSupported() {
    FakeTime time = new FakeTime();
    assertThatThrownBy(
            () ->
                new SimulationSource(
                    new GbmSimulator(SimulatorConfig.DEFAULT, 4),
                    Speed.parse("10x"),
                    START,
                    1,
                    null,
                    time,
                    time.nanos::get,
                    time.sleeper()))
        .hasMessageContaining("realtime or max");
  }
}
