package dev.papertape.api.portfolio.valuation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.papertape.api.problem.ParameterFormatException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The snapshot interval's arithmetic, its setting, and the equity interval's parsing. */
class SnapshotScheduleTest {
  private static final Duration MINUTE = Duration.ofSeconds(60);

  @Test
  void theIntervalStartIsNowFlooredToAMultipleOfTheIntervalSinceTheEpoch() {
    assertThat(SnapshotWriter.intervalStart(Instant.parse("2026-11-25T21:38:45.123Z"), MINUTE))
        .isEqualTo(Instant.parse("2026-11-25T21:38:00Z"));
    // on the boundary itself: that interval
    assertThat(SnapshotWriter.intervalStart(Instant.parse("2026-11-25T21:38:00Z"), MINUTE))
        .isEqualTo(Instant.parse("2026-11-25T21:38:00Z"));
    // 7s does not divide a minute: multiples of 7s since 1970 (1764106725 = 7 × 252015246 + 3)
    assertThat(
            SnapshotWriter.intervalStart(
                Instant.ofEpochSecond(1_764_106_725L), Duration.ofSeconds(7)))
        .isEqualTo(Instant.ofEpochSecond(1_764_106_722L));
    assertThat(
            SnapshotWriter.intervalStart(Instant.parse("2026-11-25T21:38:45Z"), Duration.ofDays(1)))
        .isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
  }

  @Test
  void theNextRunIsAtTheNextBoundaryNeverNow() {
    assertThat(SnapshotWriter.untilNext(Instant.parse("2026-11-25T21:38:45.250Z"), MINUTE))
        .isEqualTo(Duration.ofMillis(14_750));
    assertThat(SnapshotWriter.untilNext(Instant.parse("2026-11-25T21:38:00Z"), MINUTE))
        .isEqualTo(MINUTE);
  }

  @Test
  void theIntervalIsZeroForOffOrBetweenOneSecondAndADay() {
    assertThat(new SnapshotProperties(null).interval()).isEqualTo(MINUTE);
    assertThat(new SnapshotProperties(null).enabled()).isTrue();
    assertThat(new SnapshotProperties(Duration.ZERO).enabled()).isFalse();
    assertThat(new SnapshotProperties(Duration.ofSeconds(1)).enabled()).isTrue();
    assertThat(new SnapshotProperties(Duration.ofDays(1)).enabled()).isTrue();
    for (Duration bad :
        new Duration[] {
          Duration.ofMillis(999), Duration.ofMillis(-1), Duration.ofDays(1).plusMillis(1)
        }) {
      assertThatThrownBy(() -> new SnapshotProperties(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "PAPERTAPE_SNAPSHOT_INTERVAL must be 0 (off) or between 1s and 1d, got " + bad);
    }
  }

  @Test
  void equityIntervalsParseTheirLabelsOnly() {
    assertThat(EquityInterval.parse("1m")).isEqualTo(EquityInterval.ONE_MINUTE);
    assertThat(EquityInterval.parse(" 5M ")).isEqualTo(EquityInterval.FIVE_MINUTES);
    assertThat(EquityInterval.parse("1h").size()).isEqualTo(Duration.ofHours(1));
    assertThat(EquityInterval.parse("1d").label()).isEqualTo("1d");
    for (String bad : new String[] {"", "1s", "2m", "60s", "1 minute", "1d'; DROP TABLE x"}) {
      assertThatThrownBy(() -> EquityInterval.parse(bad))
          .isInstanceOf(ParameterFormatException.class)
          .hasMessage("must be 1m, 5m, 1h or 1d, got '" + bad + "'");
    }
  }
}
