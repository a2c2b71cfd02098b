package dev.papertape.feed.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.papertape.model.Trade;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BarExpanderTest {
  private static final Instant T0 = Instant.parse("2026-01-05T14:30:00Z");
  private final BarExpander minutes = new BarExpander(Duration.ofMinutes(1), "bars");

  private static Bar bar(String o, String h, String l, String c, long v) {
    return new Bar(
        "AAPL",
        T0,
        new BigDecimal(o),
        new BigDecimal(h),
        new BigDecimal(l),
        new BigDecimal(c),
        v,
        12);
  }

  @Test
  void fourTicksOpenNearerExtremeOtherExtremeCloseWithTheRemainderOnTheClose() {
    List<Trade> ticks = minutes.expand(bar("100", "105", "99", "104", 1002));

    assertThat(ticks)
        .extracting(t -> t.price().toPlainString(), Trade::size, Trade::ts, Trade::tradeId)
        .containsExactly(
            tuple("100", 250L, T0, "bars-12-1"),
            tuple("99", 250L, T0.plusSeconds(15), "bars-12-2"),
            tuple("105", 250L, T0.plusSeconds(30), "bars-12-3"),
            tuple("104", 252L, T0.plusSeconds(45), "bars-12-4"));
    assertThat(ticks).extracting(Trade::source).containsOnly("csv-bars");
  }

  @Test
  void theHighComesFirstWhenItIsNearerOrAsNear() {
    assertThat(minutes.expand(bar("100", "101", "95", "96", 4)))
        .extracting(t -> t.price().toPlainString())
        .containsExactly("100", "101", "95", "96");
    assertThat(minutes.expand(bar("100", "102", "98", "99", 4)))
        .extracting(t -> t.price().toPlainString())
        .containsExactly("100", "102", "98", "99");
  }

  @Test
  void smallVolumesBecomeOneCloseTickAndZeroVolumeNone() {
    assertThat(minutes.expand(bar("100", "105", "99", "104", 3)))
        .extracting(t -> t.price().toPlainString(), Trade::size, Trade::ts, Trade::tradeId)
        .containsExactly(tuple("104", 3L, T0.plusSeconds(45), "bars-12-4"));
    assertThat(minutes.expand(bar("100", "105", "99", "104", 0))).isEmpty();
    assertThat(BarExpander.tickCount(0)).isZero();
    assertThat(BarExpander.tickCount(3)).isEqualTo(1);
    assertThat(BarExpander.tickCount(4)).isEqualTo(4);
  }

  @Test
  void dailyBarsSpreadTicksOverTheDay() {
    BarExpander days = new BarExpander(Duration.ofDays(1), "d");

    assertThat(days.expand(bar("100", "105", "99", "104", 100)))
        .extracting(Trade::ts)
        .containsExactly(
            T0, T0.plusSeconds(6 * 3600), T0.plusSeconds(12 * 3600), T0.plusSeconds(18 * 3600));
  }

  @Test
  void volumesAlwaysSumToTheBarAndTicksStayInsideIt() {
    SplittableRandom rng = new SplittableRandom(3);
    Duration length = Duration.ofMillis(60_001);
    BarExpander odd = new BarExpander(length, "x");
    for (int i = 0; i < 2_000; i++) {
      long low = 1_000 + rng.nextInt(1_000);
      long high = low + rng.nextInt(500);
      long open = low + (high == low ? 0 : rng.nextLong(high - low + 1));
      long close = low + (high == low ? 0 : rng.nextLong(high - low + 1));
      long volume = rng.nextLong(100_000);
      Bar b =
          new Bar(
              "MSFT",
              T0,
              BigDecimal.valueOf(open, 2),
              BigDecimal.valueOf(high, 2),
              BigDecimal.valueOf(low, 2),
              BigDecimal.valueOf(close, 2),
              volume,
              2);

      List<Trade> ticks = odd.expand(b);

      assertThat(ticks.stream().mapToLong(Trade::size).sum()).isEqualTo(volume);
      for (Trade t : ticks) {
        assertThat(t.ts()).isBetween(T0, T0.plus(length).minusMillis(1));
        assertThat(t.price()).isBetween(b.low(), b.high());
      }
      if (!ticks.isEmpty()) {
        assertThat(ticks.get(ticks.size() - 1).price()).isEqualByComparingTo(b.close());
      }
    }
  }
}
