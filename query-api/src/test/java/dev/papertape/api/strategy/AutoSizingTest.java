package dev.papertape.api.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.api.portfolio.AutoOrders;
import dev.papertape.ledger.Side;
import dev.papertape.strategy.Sizing;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class AutoSizingTest {
  static AutoOrders.Account account(String cash, long held, boolean allowShort) {
    return new AutoOrders.Account(1, new BigDecimal(cash), held, allowShort, new BigDecimal(cash));
  }

  static long size(Sizing.Mode mode, String value, Side side, AutoOrders.Account a, String price) {
    return AutoSizing.quantity(
        new Sizing(mode, new BigDecimal(value)), side, a, new BigDecimal(price), null);
  }

  @Test
  void quantityIsTheValue() {
    assertThat(size(Sizing.Mode.QUANTITY, "5", Side.BUY, account("100", 0, false), "1000"))
        .isEqualTo(5); // the ledger refuses it for cash, sizing does not second-guess
  }

  @Test
  void notionalIsWholeSharesAtTheLatestPriceRoundedDown() {
    assertThat(size(Sizing.Mode.NOTIONAL, "1000", Side.BUY, account("5000", 0, false), "189.45"))
        .isEqualTo(5); // 1000 / 189.45 = 5.278…
    assertThat(size(Sizing.Mode.NOTIONAL, "100", Side.BUY, account("5000", 0, false), "189.45"))
        .isZero();
  }

  @Test
  void aSellSellsAtMostWhatIsHeldUnlessShortingIsOn() {
    assertThat(size(Sizing.Mode.QUANTITY, "10", Side.SELL, account("0", 3, false), "10"))
        .isEqualTo(3);
    assertThat(size(Sizing.Mode.QUANTITY, "10", Side.SELL, account("0", 0, false), "10")).isZero();
    assertThat(size(Sizing.Mode.QUANTITY, "10", Side.SELL, account("0", -4, false), "10")).isZero();
    assertThat(size(Sizing.Mode.QUANTITY, "10", Side.SELL, account("0", 0, true), "10"))
        .isEqualTo(10);
  }

  @Test
  void percentOfCashOfASellIsCashShareOverPrice() {
    // 25 % of 1000.00 = 250.00 at 30 → 8 shares, capped by the 5 held
    assertThat(size(Sizing.Mode.PERCENT_OF_CASH, "25", Side.SELL, account("1000", 50, false), "30"))
        .isEqualTo(8);
    assertThat(size(Sizing.Mode.PERCENT_OF_CASH, "25", Side.SELL, account("1000", 5, false), "30"))
        .isEqualTo(5);
  }
}
