package dev.papertape.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.ledger.Commission;
import dev.papertape.ledger.FillModel;
import dev.papertape.ledger.Slippage;
import dev.papertape.model.MetricWindow;
import dev.papertape.model.Signal;
import dev.papertape.model.Trade;
import dev.papertape.strategy.SignalIds;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fill simulation and its arithmetic, without Flink: signals and trades by hand. */
class FillSimulatorTest {
  static final Instant T0 = Instant.parse("2026-01-05T14:30:00Z");
  static final FillModel FREE = FillModel.FREE;

  static Signal signal(String symbol, Signal.Side side, int minute) {
    Instant ts = T0.plusSeconds(60L * minute);
    return new Signal(
        SignalIds.of("t", symbol, MetricWindow.M1, ts, side.name()),
        Signal.Kind.SIGNAL,
        symbol,
        "t",
        side,
        BigDecimal.TEN,
        symbol + " test",
        ts);
  }

  static Trade trade(String symbol, String price, int second) {
    return new Trade(
        symbol, new BigDecimal(price), 1, T0.plusSeconds(second), "x-" + second, "test");
  }

  static FillSimulator.Result run(
      List<Signal> signals,
      FillModel model,
      boolean allowShort,
      SizingRule sizing,
      Trade... trades) {
    FillSimulator sim =
        new FillSimulator(
            signals, new BigDecimal("1000"), model, allowShort, sizing, Duration.ofMinutes(1));
    for (Trade t : trades) {
      sim.onTrade(t);
    }
    return sim.finish(null);
  }

  @Test
  void anOrderTheCashCannotPayIsRefusedAndChangesNothing() {
    // quantity 101 at 10.00 = 1010.00 > 1000.00
    FillSimulator.Result r =
        run(
            List.of(signal("AAA", Signal.Side.BUY, 1)),
            FREE,
            false,
            SizingRule.parse("quantity:101"),
            trade("AAA", "10", 10),
            trade("AAA", "10", 70));
    assertThat(r.fills()).isEmpty();
    assertThat(r.refused())
        .extracting(FillSimulator.Refusal::reason)
        .containsExactly("insufficient-cash");
    assertThat(r.cash()).isEqualByComparingTo("1000.00");
    assertThat(r.finalValue()).isEqualByComparingTo("1000.00");
  }

  @Test
  void aSellWithNothingHeldIsRefusedUnlessShortSellingIsOn() {
    List<Signal> sell = List.of(signal("AAA", Signal.Side.SELL, 1));
    FillSimulator.Result longOnly =
        run(sell, FREE, false, SizingRule.parse("quantity:5"), trade("AAA", "10", 70));
    assertThat(longOnly.refused())
        .extracting(FillSimulator.Refusal::reason)
        .containsExactly("nothing-held");
    FillSimulator.Result allIn = run(sell, FREE, true, SizingRule.ALL_IN, trade("AAA", "10", 70));
    assertThat(allIn.refused())
        .extracting(FillSimulator.Refusal::reason)
        .containsExactly("nothing-held");
    // with short selling on, a quantity sizing sells short: cash 1000 + 5 × 10
    FillSimulator.Result shorted =
        run(sell, FREE, true, SizingRule.parse("quantity:5"), trade("AAA", "10", 70));
    assertThat(shorted.fills()).hasSize(1);
    assertThat(shorted.cash()).isEqualByComparingTo("1050.00");
    assertThat(shorted.positions().get("AAA").quantity()).isEqualTo(-5);
    // valued at the last price: 1050 − 5 × 10
    assertThat(shorted.finalValue()).isEqualByComparingTo("1000.00");
  }

  @Test
  void commissionIsRaisedToTheMinimumAndCappedAtTheMaximum() {
    FillModel model =
        new FillModel(
            new Slippage.None(),
            new Commission.PerShare(
                new BigDecimal("0.01"), new BigDecimal("1.00"), new BigDecimal("2.00")));
    // BUY 50 × 1.00: 0.50 → the minimum 1.00; SELL 50 later; BUY 500 × 1.00 → 5.00 → the max 2.00
    FillSimulator.Result r =
        run(
            List.of(
                signal("AAA", Signal.Side.BUY, 1),
                signal("AAA", Signal.Side.SELL, 2),
                signal("AAA", Signal.Side.BUY, 3)),
            model,
            false,
            SizingRule.parse("quantity:50"),
            trade("AAA", "1", 60),
            trade("AAA", "1", 120),
            trade("AAA", "1", 180));
    assertThat(r.fills())
        .extracting(x -> x.fill().commission().toPlainString())
        .containsExactly("1.00", "1.00", "1.00");
    FillSimulator.Result big =
        run(
            List.of(signal("AAA", Signal.Side.BUY, 1)),
            model,
            false,
            SizingRule.parse("quantity:500"),
            trade("AAA", "1", 60));
    assertThat(big.commissions()).isEqualByComparingTo("2.00");
    // 1000 − 500 − 2.00
    assertThat(big.cash()).isEqualByComparingTo("498.00");
  }

  @Test
  void allInBuysWhatTheCashPaysWithCommissionAndSellsEverythingHeld() {
    FillModel model =
        new FillModel(
            new Slippage.BasisPoints(new BigDecimal("10")), // 0.1 %: 10.00 → 10.01 for a buy
            new Commission.Flat(new BigDecimal("5.00")));
    // all in: floor((1000 − 5) / 10.01) = 99 → 99 × 10.01 = 990.99 + 5.00 = 995.99
    FillSimulator.Result r =
        run(
            List.of(signal("AAA", Signal.Side.BUY, 1), signal("AAA", Signal.Side.SELL, 2)),
            model,
            false,
            SizingRule.ALL_IN,
            trade("AAA", "10", 60),
            trade("AAA", "12", 120));
    assertThat(r.fills()).extracting(x -> x.fill().quantity()).containsExactly(99L, 99L);
    // sold at 12 × 0.999 = 11.988: 99 × 11.988 = 1186.812 → 1186.81 − 5.00
    // cash 1000 − 995.99 + 1181.81 = 1185.82
    assertThat(r.cash()).isEqualByComparingTo("1185.82");
    assertThat(r.commissions()).isEqualByComparingTo("10.00");
    assertThat(r.positions()).isEmpty();
  }

  @Test
  void aSignalFillsAtTheFirstTradeOfItsSymbolAtOrAfterItsTimeOrStaysUnfilled() {
    FillSimulator.Result r =
        run(
            List.of(signal("AAA", Signal.Side.BUY, 1), signal("BBB", Signal.Side.BUY, 1)),
            FREE,
            false,
            SizingRule.parse("quantity:1"),
            trade("AAA", "9", 59), // before the signal's time
            trade("BBB", "50", 61), // another symbol
            trade("AAA", "10", 60), // the fill (ts = the signal's ts)
            trade("AAA", "11", 61));
    assertThat(r.fills()).hasSize(2);
    assertThat(r.fills().get(0).fill().symbol()).isEqualTo("BBB");
    assertThat(r.fills().get(1).fill().price()).isEqualByComparingTo("10");
    FillSimulator.Result none =
        run(
            List.of(signal("AAA", Signal.Side.BUY, 5)),
            FREE,
            false,
            SizingRule.parse("quantity:1"),
            trade("AAA", "9", 59));
    assertThat(none.unfilled()).hasSize(1);
    assertThat(none.fills()).isEmpty();
  }

  @Test
  void buyAndHoldSplitsTheCashOverTheSymbols() {
    // 500.00 each: AAA at 10 → 50 shares, BBB at 30 → 16 shares (480.00, 20.00 left);
    // final 50 × 12 + 16 × 27 + 20.00 = 600 + 432 + 20 = 1052.00
    FillSimulator.Result r =
        run(
            List.of(),
            FREE,
            false,
            SizingRule.ALL_IN,
            trade("AAA", "10", 1),
            trade("BBB", "30", 2),
            trade("AAA", "12", 61),
            trade("BBB", "27", 62));
    assertThat(r.buyAndHold().symbols()).containsExactly("AAA", "BBB");
    assertThat(r.buyAndHold().finalValue()).isEqualByComparingTo("1052.00");
    assertThat(r.buyAndHold().totalReturn()).isEqualByComparingTo("0.052");
  }
}
