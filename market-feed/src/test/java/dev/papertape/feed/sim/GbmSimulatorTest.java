package dev.papertape.feed.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.papertape.model.Trade;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class GbmSimulatorTest {
  private static final Instant START = Instant.parse("2026-01-05T14:30:00Z");
  private static final BigDecimal CENT = new BigDecimal("0.01");

  private static List<Trade> take(SimulatorConfig config, long seed, int n) {
    GbmSimulator sim = new GbmSimulator(config, seed);
    List<Trade> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(sim.next(START));
    }
    return out;
  }

  @Test
  void theSameSeedGivesTheSameTrades() {
    List<Trade> a = take(SimulatorConfig.DEFAULT, 42, 2_000);
    List<Trade> b = take(SimulatorConfig.DEFAULT, 42, 2_000);

    assertThat(a).isEqualTo(b);
    assertThat(a.get(0).tradeId()).matches("sim-42-(AAPL|GOOGL|MSFT|TSLA)-1");
    assertThat(a).extracting(Trade::source).containsOnly("sim");
  }

  @Test
  void differentSeedsGiveDifferentTradesAndIds() {
    List<Trade> a = take(SimulatorConfig.DEFAULT, 1, 200);
    List<Trade> b = take(SimulatorConfig.DEFAULT, 2, 200);

    assertThat(a).isNotEqualTo(b);
    assertThat(a.stream().map(Trade::price).toList())
        .isNotEqualTo(b.stream().map(Trade::price).toList());
    assertThat(a)
        .extracting(Trade::tradeId)
        .doesNotContainAnyElementsOf(b.stream().map(Trade::tradeId).toList());
  }

  @Test
  void tradeIdsCountPerSymbolFromOne() {
    List<Trade> trades = take(SimulatorConfig.DEFAULT, 7, 1_000);

    Map<String, List<String>> ids =
        trades.stream()
            .collect(
                Collectors.groupingBy(
                    Trade::symbol, Collectors.mapping(Trade::tradeId, Collectors.toList())));
    assertThat(ids).containsOnlyKeys("AAPL", "GOOGL", "MSFT", "TSLA");
    ids.forEach(
        (symbol, list) -> {
          for (int i = 0; i < list.size(); i++) {
            assertThat(list.get(i)).isEqualTo("sim-7-" + symbol + "-" + (i + 1));
          }
          assertThat(list.size()).isBetween(180, 320); // 250 expected each
        });
  }

  @Test
  void pricesAreAlwaysPositiveWholeCents() {
    SimulatorConfig wild =
        SimulatorConfig.DEFAULT.withSymbols(
            List.of(
                new SymbolSpec("PENNY", new BigDecimal("0.05"), -1.0, 3.0),
                new SymbolSpec("AAPL", new BigDecimal("190"), 0.05, 0.3)));
    for (Trade t : take(wild.withRate(0.01), 3, 20_000)) {
      assertThat(t.price()).isPositive();
      assertThat(t.price().scale()).isLessThanOrEqualTo(2);
      assertThat(t.price().remainder(CENT)).isZero();
      assertThat(t.size()).isBetween(1L, 10_000L);
    }
  }

  @Test
  void inMaxModeEventTimesAdvanceByPoissonGaps() {
    List<Trade> trades = take(SimulatorConfig.DEFAULT, 11, 20_000);

    for (int i = 1; i < trades.size(); i++) {
      assertThat(trades.get(i).ts()).isAfterOrEqualTo(trades.get(i - 1).ts());
    }
    double seconds =
        Duration.between(START, trades.get(trades.size() - 1).ts()).toMillis() / 1000.0;
    // 4 symbols at 5 trades/s: 20 trades/s
    assertThat(trades.size() / seconds).isBetween(19.0, 21.0);
  }

  @Test
  void realisedVolatilityMatchesTheConfiguredVolatility() {
    SimulatorConfig one =
        SimulatorConfig.DEFAULT
            .withSymbols(List.of(new SymbolSpec("AAPL", new BigDecimal("190"), 0.05, 0.3)))
            .withRate(0.01);
    List<Trade> trades = take(one, 5, 20_000);

    double sumSquares = 0;
    double years = 0;
    for (int i = 1; i < trades.size(); i++) {
      double r =
          Math.log(trades.get(i).price().doubleValue() / trades.get(i - 1).price().doubleValue());
      sumSquares += r * r;
      years +=
          Duration.between(trades.get(i - 1).ts(), trades.get(i).ts()).toMillis()
              / 1000.0
              / GbmSimulator.TRADING_YEAR_SECONDS;
    }
    assertThat(Math.sqrt(sumSquares / years)).isBetween(0.285, 0.315);
  }

  @Test
  void outOfOrderShiftsOnlyBackwardsWithinTheMaxDelayAndKeepsPrices() {
    OutOfOrderShifter always = new OutOfOrderShifter(1.0, Duration.ofSeconds(2));
    List<Trade> inOrder = take(SimulatorConfig.DEFAULT, 9, 5_000);
    List<Trade> shifted = take(SimulatorConfig.DEFAULT.withOutOfOrder(always), 9, 5_000);

    for (int i = 0; i < inOrder.size(); i++) {
      Trade a = inOrder.get(i);
      Trade b = shifted.get(i);
      assertThat(b.price()).isEqualTo(a.price());
      assertThat(b.tradeId()).isEqualTo(a.tradeId());
      long back = Duration.between(b.ts(), a.ts()).toMillis();
      assertThat(back).isBetween(1L, 2_000L);
    }
  }

  @Test
  void outOfOrderProbabilityIsRespected() {
    OutOfOrderShifter quarter = new OutOfOrderShifter(0.25, Duration.ofMillis(500));
    List<Trade> inOrder = take(SimulatorConfig.DEFAULT, 10, 10_000);
    List<Trade> shifted = take(SimulatorConfig.DEFAULT.withOutOfOrder(quarter), 10, 10_000);

    long moved = 0;
    for (int i = 0; i < inOrder.size(); i++) {
      long back = Duration.between(shifted.get(i).ts(), inOrder.get(i).ts()).toMillis();
      assertThat(back).isBetween(0L, 500L);
      if (back > 0) {
        moved++;
      }
    }
    assertThat(moved).isBetween(2_300L, 2_700L);
  }

  @Test
  void emitNeedsAnArrivalFirst() {
    GbmSimulator sim = new GbmSimulator(SimulatorConfig.DEFAULT, 1);
    assertThatThrownBy(() -> sim.emit(START)).isInstanceOf(IllegalStateException.class);
  }
}
