package dev.papertape.api.portfolio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.ledger.Fill;
import dev.papertape.ledger.Ledger;
import dev.papertape.ledger.Position;
import dev.papertape.ledger.Side;
import dev.papertape.testing.TestDatabase;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a portfolio in the database against its own fill log, two ways: an independent SQL
 * recomputation (cash = Σ cash_movements of the epoch = starting cash + Σ paper_trades.cash_delta;
 * each position's quantity = Σ signed fill quantities; commissions and realised P&amp;L = their
 * sums) and {@link Ledger#replay} of the paper_trades rows alone (which also reproduces average
 * costs).
 */
final class LedgerAudit {
  private LedgerAudit() {}

  private static BigDecimal dec(Object o) {
    return o == null ? BigDecimal.ZERO : new BigDecimal(o.toString());
  }

  static void check(long portfolioId) {
    Map<String, Object> p =
        TestDatabase.query(
                "SELECT epoch, starting_cash, cash, realized_pnl, commissions, allow_short"
                    + " FROM portfolios WHERE id = ?",
                portfolioId)
            .get(0);
    int epoch = ((Number) p.get("epoch")).intValue();
    BigDecimal cash = dec(p.get("cash"));

    Map<String, Object> sums =
        TestDatabase.query(
                "SELECT (SELECT sum(amount) FROM cash_movements WHERE portfolio_id = ? AND epoch = ?)"
                    + " AS movements,"
                    + " (SELECT coalesce(sum(cash_delta), 0) FROM paper_trades"
                    + "  WHERE portfolio_id = ? AND epoch = ?) AS deltas,"
                    + " (SELECT coalesce(sum(commission), 0) FROM paper_trades"
                    + "  WHERE portfolio_id = ? AND epoch = ?) AS commissions,"
                    + " (SELECT coalesce(sum(realized_pnl), 0) FROM paper_trades"
                    + "  WHERE portfolio_id = ? AND epoch = ?) AS realized",
                portfolioId,
                epoch,
                portfolioId,
                epoch,
                portfolioId,
                epoch,
                portfolioId,
                epoch)
            .get(0);
    assertThat(dec(sums.get("movements"))).as("Σ cash movements").isEqualByComparingTo(cash);
    assertThat(dec(p.get("starting_cash")).add(dec(sums.get("deltas"))))
        .as("starting cash + Σ fills")
        .isEqualByComparingTo(cash);
    assertThat(dec(sums.get("commissions"))).isEqualByComparingTo(dec(p.get("commissions")));
    assertThat(dec(sums.get("realized"))).isEqualByComparingTo(dec(p.get("realized_pnl")));

    List<Map<String, Object>> sqlPositions =
        TestDatabase.query(
            "SELECT symbol, sum(CASE side WHEN 'BUY' THEN quantity ELSE -quantity END) AS qty"
                + " FROM paper_trades WHERE portfolio_id = ? AND epoch = ? GROUP BY symbol"
                + " HAVING sum(CASE side WHEN 'BUY' THEN quantity ELSE -quantity END) <> 0",
            portfolioId,
            epoch);
    Map<String, Long> stored = new HashMap<>();
    Map<String, BigDecimal> storedCost = new HashMap<>();
    for (Map<String, Object> r :
        TestDatabase.query(
            "SELECT symbol, quantity, avg_cost FROM positions WHERE portfolio_id = ?",
            portfolioId)) {
      stored.put((String) r.get("symbol"), ((Number) r.get("quantity")).longValue());
      storedCost.put((String) r.get("symbol"), dec(r.get("avg_cost")));
    }
    Map<String, Long> fromFills = new HashMap<>();
    for (Map<String, Object> r : sqlPositions) {
      fromFills.put((String) r.get("symbol"), ((Number) r.get("qty")).longValue());
    }
    assertThat(stored).as("positions = Σ signed fills").isEqualTo(fromFills);

    List<Fill> log =
        TestDatabase.query(
                "SELECT * FROM paper_trades WHERE portfolio_id = ? AND epoch = ? ORDER BY id",
                portfolioId,
                epoch)
            .stream()
            .map(
                r ->
                    new Fill(
                        (String) r.get("symbol"),
                        Side.valueOf((String) r.get("side")),
                        ((Number) r.get("quantity")).longValue(),
                        dec(r.get("market_price")),
                        dec(r.get("slippage")),
                        dec(r.get("price")),
                        dec(r.get("gross")),
                        dec(r.get("commission")),
                        dec(r.get("cash_delta")),
                        dec(r.get("realized_pnl")),
                        ((Number) r.get("position_after")).longValue(),
                        dec(r.get("cash_after"))))
            .toList();
    Ledger replayed =
        Ledger.replay(dec(p.get("starting_cash")), Boolean.TRUE.equals(p.get("allow_short")), log);
    assertThat(replayed.cash()).as("replayed cash").isEqualByComparingTo(cash);
    assertThat(replayed.realizedPnl()).isEqualByComparingTo(dec(p.get("realized_pnl")));
    assertThat(replayed.commissions()).isEqualByComparingTo(dec(p.get("commissions")));
    assertThat(replayed.positions().keySet()).isEqualTo(stored.keySet());
    for (Position pos : replayed.positions().values()) {
      assertThat(pos.quantity()).isEqualTo(stored.get(pos.symbol()));
      assertThat(pos.avgCost())
          .as("avg cost of %s", pos.symbol())
          .isEqualByComparingTo(storedCost.get(pos.symbol()));
    }
  }
}
