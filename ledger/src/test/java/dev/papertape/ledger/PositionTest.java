package dev.papertape.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Average cost and realised P&L, by hand. */
class PositionTest {
  private static BigDecimal d(String s) {
    return new BigDecimal(s);
  }

  @Test
  void buysAverageAndASellRealisesAtUnchangedCost() {
    Position.Change a = Position.apply(null, "AAPL", Side.BUY, 10, d("100"));
    Position.Change b = Position.apply(a.after(), "AAPL", Side.BUY, 20, d("103"));
    assertThat(b.after().quantity()).isEqualTo(30);
    assertThat(b.after().avgCost()).isEqualTo("102.00000000");
    Position.Change c = Position.apply(b.after(), "AAPL", Side.SELL, 12, d("105.555"));
    assertThat(c.after().quantity()).isEqualTo(18);
    assertThat(c.after().avgCost()).isEqualTo("102.00000000");
    assertThat(c.realizedPnl()).isEqualTo("42.66"); // 3.555 × 12 = 42.66
    Position.Change d = Position.apply(c.after(), "AAPL", Side.SELL, 18, d("99"));
    assertThat(d.after()).isNull();
    assertThat(d.realizedPnl()).isEqualTo("-54.00");
  }

  @Test
  void averageCostRoundsHalfUpToEightDecimals() {
    Position.Change a = Position.apply(null, "X", Side.BUY, 1, d("1"));
    Position.Change b = Position.apply(a.after(), "X", Side.BUY, 2, d("2"));
    assertThat(b.after().avgCost()).isEqualTo("1.66666667");
  }

  @Test
  void crossingThroughZeroClosesThenOpensAtTheFillPrice() {
    Position.Change a = Position.apply(null, "X", Side.BUY, 10, d("50"));
    Position.Change b = Position.apply(a.after(), "X", Side.SELL, 25, d("60"));
    assertThat(b.realizedPnl()).isEqualTo("100.00");
    assertThat(b.after().quantity()).isEqualTo(-15);
    assertThat(b.after().avgCost()).isEqualTo("60.00000000");
    Position.Change c = Position.apply(b.after(), "X", Side.BUY, 5, d("55.5"));
    assertThat(c.realizedPnl()).isEqualTo("22.50"); // short: (60 − 55.5) × 5
    assertThat(c.after().quantity()).isEqualTo(-10);
    Position.Change e = Position.apply(c.after(), "X", Side.BUY, 30, d("61"));
    assertThat(e.realizedPnl()).isEqualTo("-10.00");
    assertThat(e.after().quantity()).isEqualTo(20);
    assertThat(e.after().avgCost()).isEqualTo("61.00000000");
  }

  @Test
  void ledgerRulesWithoutShorting() {
    Ledger l = Ledger.open(d("1000.00"), false);
    FillModel fee = new FillModel(new Slippage.None(), new Commission.Flat(d("1.00")));
    assertThatThrownBy(() -> l.execute("X", fee.execute(Side.BUY, 10, d("99.91"))))
        .isInstanceOfSatisfying(
            LedgerRejection.class,
            r -> assertThat(r.reason()).isEqualTo(LedgerRejection.Reason.INSUFFICIENT_CASH));
    Fill f = l.execute("X", fee.execute(Side.BUY, 10, d("99.90")));
    assertThat(f.cashAfter()).isEqualTo("0.00");
    assertThatThrownBy(() -> l.execute("X", fee.execute(Side.SELL, 11, d("100"))))
        .isInstanceOfSatisfying(
            LedgerRejection.class,
            r -> assertThat(r.reason()).isEqualTo(LedgerRejection.Reason.INSUFFICIENT_POSITION));
    assertThat(l.cash()).isEqualTo("0.00");
    assertThat(l.position("X").quantity()).isEqualTo(10);
    Fill out = l.execute("X", fee.execute(Side.SELL, 10, d("101")));
    assertThat(out.realizedPnl()).isEqualTo("11.00");
    assertThat(l.cash()).isEqualTo("1009.00");
    assertThat(l.commissions()).isEqualTo("2.00");
    assertThat(l.positions()).isEmpty();
    Ledger again = Ledger.replay(d("1000.00"), false, List.of(f, out));
    assertThat(again.cash()).isEqualTo(l.cash());
    assertThat(again.realizedPnl()).isEqualTo("11.00");
  }

  @Test
  void shortingIsBoundedByTheStartingCashAtCostAndCoveringIsAlwaysAllowed() {
    Ledger l = Ledger.open(d("1000.00"), true);
    assertThatThrownBy(() -> l.execute("X", FillModel.FREE.execute(Side.SELL, 11, d("100"))))
        .isInstanceOfSatisfying(
            LedgerRejection.class,
            r -> assertThat(r.reason()).isEqualTo(LedgerRejection.Reason.SHORT_LIMIT));
    l.execute("X", FillModel.FREE.execute(Side.SELL, 10, d("100")));
    assertThat(l.cash()).isEqualTo("2000.00");
    l.execute("Y", FillModel.FREE.execute(Side.BUY, 1, d("2000")));
    assertThat(l.cash()).isEqualTo("0.00");
    // the price doubled: covering costs 2000 and takes cash negative, which is allowed
    Fill cover = l.execute("X", FillModel.FREE.execute(Side.BUY, 10, d("200")));
    assertThat(cover.cashAfter()).isEqualTo("-2000.00");
    assertThat(cover.realizedPnl()).isEqualTo("-1000.00");
    // but nothing else that costs cash
    assertThatThrownBy(() -> l.execute("Z", FillModel.FREE.execute(Side.BUY, 1, d("1"))))
        .isInstanceOf(LedgerRejection.class);
    // selling the long raises cash even though it stays negative
    l.execute("Y", FillModel.FREE.execute(Side.SELL, 1, d("1500")));
    assertThat(l.cash()).isEqualTo("-500.00");
  }
}
