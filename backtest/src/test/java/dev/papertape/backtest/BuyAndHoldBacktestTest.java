package dev.papertape.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.papertape.feed.replay.ReplayFormat;
import dev.papertape.model.Signal;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backtest of buy-and-hold on a hand-made file, through the whole path (the live graph in an
 * embedded cluster, the fills, the statistics), against a computation by hand.
 */
class BuyAndHoldBacktestTest {
  @TempDir Path dir;

  /** No slippage; commission 0.01 per share, at least 1.00. */
  static final Map<String, String> ENV =
      Map.of(
          "PAPERTAPE_SLIPPAGE_BPS", "0",
          "PAPERTAPE_COMMISSION_PER_SHARE", "0.01",
          "PAPERTAPE_COMMISSION_MIN", "1.00");

  @Test
  void finalValueReturnDrawdownAndCommissionAreTheHandComputation() throws Exception {
    Path csv = dir.resolve("aaa.csv");
    Files.writeString(
        csv,
        """
        symbol,price,size,ts
        AAA,10.00,100,2026-01-05T14:30:10Z
        AAA,10.50,100,2026-01-05T14:30:40Z
        AAA,11.00,100,2026-01-05T14:31:05Z
        AAA,9.00,100,2026-01-05T14:32:30Z
        AAA,12.00,100,2026-01-05T14:33:10Z
        """);
    BacktestRequest req =
        new BacktestRequest(
            "buy-and-hold",
            "bh",
            Map.of(),
            List.of(),
            TradeFile.validate(csv, ReplayFormat.TRADES, null, null, null),
            new BigDecimal("1000.00"),
            SizingRule.ALL_IN);
    Backtest.Result r = new Backtest(Backtest.Environment.of(ENV::get)).run(req);

    // windows 14:30, 14:31, 14:32, 14:33; the first (close 10.50) gives the one BUY, ts 14:31:00
    assertThat(r.job().windows()).isEqualTo(4);
    assertThat(r.job().signals()).hasSize(1);
    Signal buy = r.job().signals().get(0);
    assertThat(buy.side()).isEqualTo(Signal.Side.BUY);
    assertThat(buy.ts()).isEqualTo(Instant.parse("2026-01-05T14:31:00Z"));
    assertThat(buy.price()).isEqualByComparingTo("10.50");

    // filled at the first AAA trade at or after 14:31:00: 11.00 at 14:31:05. All in: the most
    // shares 1000.00 pays for: 90 × 11.00 = 990.00 + commission max(90 × 0.01, 1.00) = 1.00
    // → 991.00 (91 shares would cost 1001.00 + 1.00). Cash 1000.00 − 991.00 = 9.00.
    FillSimulator.Result f = r.fills();
    assertThat(f.fills()).hasSize(1);
    assertThat(f.fills().get(0).tradeTs()).isEqualTo(Instant.parse("2026-01-05T14:31:05Z"));
    assertThat(f.fills().get(0).fill().quantity()).isEqualTo(90);
    assertThat(f.fills().get(0).fill().price()).isEqualByComparingTo("11.00");
    assertThat(f.commissions()).isEqualByComparingTo("1.00");
    assertThat(f.cash()).isEqualByComparingTo("9.00");
    assertThat(f.refused()).isEmpty();

    // valuations (cash + 90 × last price):
    //   14:30:00 1000.00 (the start)   14:31:00 1000.00 (not filled yet)
    //   14:32:00 9 + 90 × 11 = 999.00   14:33:00 9 + 90 × 9 = 819.00   14:34:00 9 + 90 × 12 =
    // 1089.00
    assertThat(f.valuations())
        .extracting(v -> v.at().toString() + " " + v.total().toPlainString())
        .containsExactly(
            "2026-01-05T14:30:00Z 1000.00",
            "2026-01-05T14:31:00Z 1000.00",
            "2026-01-05T14:32:00Z 999.00",
            "2026-01-05T14:33:00Z 819.00",
            "2026-01-05T14:34:00Z 1089.00");
    // final value 1089.00, total return 1089 / 1000 − 1 = 0.089
    assertThat(f.finalValue()).isEqualByComparingTo("1089.00");
    assertThat(r.stats().totalReturn()).isEqualByComparingTo("0.089");
    // max drawdown: peak 1000.00 at 14:30:00, trough 819.00 at 14:33:00: 181 / 1000 = 0.181
    assertThat(r.stats().maxDrawdown().fraction()).isEqualByComparingTo("0.181");
    assertThat(r.stats().maxDrawdown().peakAt()).isEqualTo(Instant.parse("2026-01-05T14:30:00Z"));
    assertThat(r.stats().maxDrawdown().troughAt()).isEqualTo(Instant.parse("2026-01-05T14:33:00Z"));
    assertThat(r.stats().roundTrips()).isZero();

    // the comparison: buy and hold from the first trade (10.00): 99 × 10 + 1.00 = 991.00 (100
    // shares would cost 1001.00), cash 9.00, final 9 + 99 × 12 = 1197.00, return 0.197
    assertThat(f.buyAndHold().finalValue()).isEqualByComparingTo("1197.00");
    assertThat(f.buyAndHold().totalReturn()).isEqualByComparingTo("0.197");

    JsonNode json = BacktestReport.json(r);
    assertThat(json.get("finalValue").decimalValue()).isEqualByComparingTo("1089.00");
    assertThat(json.get("commission").decimalValue()).isEqualByComparingTo("1.00");
    assertThat(json.get("maxDrawdown").get("peakAt").asText()).isEqualTo("2026-01-05T14:30:00Z");
    assertThat(json.get("signals").get("buy").asInt()).isEqualTo(1);
    assertThat(json.get("input").get("tradesRead").asInt()).isEqualTo(5);
    assertThat(BacktestReport.text(r))
        .contains("  final value     : 1089.00 (cash 9.00)")
        .contains(
            "  max drawdown    : 18.1 % (peak 2026-01-05T14:30:00Z, trough 2026-01-05T14:33:00Z)");

    // same input, same signals, bit for bit
    Backtest.Result again = new Backtest(Backtest.Environment.of(ENV::get)).run(req);
    assertThat(again.job().signals()).isEqualTo(r.job().signals());
    assertThat(BacktestReport.json(again)).isEqualTo(BacktestReport.json(r));
  }
}
