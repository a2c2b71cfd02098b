package dev.papertape.feed.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.papertape.model.Trade;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BarTicksTest {
  private static List<Trade> ticks(Path file) {
    List<Trade> out = new ArrayList<>();
    try (BarTicks ticks = BarTicks.open(file, BarCsvReader.validate(file, null))) {
      for (Trade t = ticks.next(); t != null; t = ticks.next()) {
        out.add(t);
      }
    }
    return out;
  }

  @Test
  void ticksOfBarsOfTheSameMinuteInterleaveByTime() {
    List<Trade> ticks = ticks(Csv.resource("bars-good.csv"));

    assertThat(ticks)
        .extracting(Trade::tradeId, t -> t.ts().toString().substring(11, 19), Trade::size)
        .containsExactly(
            tuple("bars-good-2-1", "14:30:00", 250L),
            tuple("bars-good-3-1", "14:30:00", 100L),
            tuple("bars-good-2-2", "14:30:15", 250L),
            tuple("bars-good-3-2", "14:30:15", 100L),
            tuple("bars-good-2-3", "14:30:30", 250L),
            tuple("bars-good-3-3", "14:30:30", 100L),
            tuple("bars-good-2-4", "14:30:45", 252L),
            tuple("bars-good-3-4", "14:30:45", 100L),
            tuple("bars-good-4-4", "14:31:45", 3L),
            tuple("bars-good-6-1", "14:32:00", 2L),
            tuple("bars-good-6-2", "14:32:15", 2L),
            tuple("bars-good-6-3", "14:32:30", 2L),
            tuple("bars-good-6-4", "14:32:45", 2L));
    for (int i = 1; i < ticks.size(); i++) {
      assertThat(ticks.get(i).ts()).isAfterOrEqualTo(ticks.get(i - 1).ts());
    }
  }

  @Test
  void theSampleFileReplaysInTimeOrderWithEveryShare() {
    Path sample = Path.of("samples", "bars-1m.csv");
    List<Trade> ticks = ticks(sample);

    assertThat(ticks).hasSize(40);
    assertThat(ticks.get(0).ts()).isEqualTo(Instant.parse("2026-01-05T14:30:00Z"));
    for (int i = 1; i < ticks.size(); i++) {
      assertThat(ticks.get(i).ts()).isAfterOrEqualTo(ticks.get(i - 1).ts());
    }
    assertThat(ticks.stream().filter(t -> t.symbol().equals("AAPL")).mapToLong(Trade::size).sum())
        .isEqualTo(39513 + 14364 + 48908 + 41044 + 54566);
  }
}
