package dev.papertape.api.portfolio.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.papertape.model.Trade;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CatchUpWindowTest {
  static final Instant START = Instant.parse("2026-11-25T12:00:00Z");
  static final Duration DAY = Duration.ofDays(1);

  static Trade trade(Instant ts, String id) {
    return new Trade("AAPL", new BigDecimal("1"), 1, ts, id, "test");
  }

  @Test
  void looksBackAtMostMaxAgeAndUpToTheStartOfThePass() {
    CatchUpWindow w = CatchUpWindow.of(START, DAY, null, START.minus(Duration.ofDays(3)), null);
    assertThat(w.from()).isEqualTo(new CatchUpWindow.Key(START.minus(DAY), ""));
    assertThat(w.until()).isEqualTo(new CatchUpWindow.Key(START, ""));
    assertThat(w.isEmpty()).isFalse();
  }

  @Test
  void startsAtTheOldestOpenOrderOrTheOldestDroppedTradeWhenLater() {
    Instant order = START.minusSeconds(600);
    Instant dropped = START.minusSeconds(60);
    assertThat(CatchUpWindow.of(START, DAY, null, order, null).from().ts()).isEqualTo(order);
    assertThat(CatchUpWindow.of(START, DAY, dropped, order, null).from().ts()).isEqualTo(dropped);
    assertThat(
            CatchUpWindow.of(START, DAY, START.minus(Duration.ofDays(2)), null, null).from().ts())
        .isEqualTo(START.minus(DAY));
  }

  @Test
  void endsBeforeTheFirstLiveTradeOfTheSymbol() {
    Trade live = trade(START.minusSeconds(5), "t-9");
    CatchUpWindow w = CatchUpWindow.of(START, DAY, null, null, CatchUpWindow.Key.of(live));
    assertThat(w.until()).isEqualTo(new CatchUpWindow.Key(live.ts(), "t-9"));
  }

  @Test
  void emptyWhenNothingCanLieInIt() {
    Instant order = START.minusSeconds(10);
    // the live stream began before the oldest order was placed
    assertThat(
            CatchUpWindow.of(
                    START,
                    DAY,
                    null,
                    order,
                    CatchUpWindow.Key.of(trade(order.minusSeconds(1), "x")))
                .isEmpty())
        .isTrue();
    // orders placed after the pass began
    assertThat(CatchUpWindow.of(START, DAY, null, START.plusSeconds(1), null).isEmpty()).isTrue();
  }

  @Test
  void keysOrderByTimeThenTradeIdWithTheEmptyIdFirst() {
    CatchUpWindow.Key before = CatchUpWindow.Key.before(START);
    CatchUpWindow.Key a = new CatchUpWindow.Key(START, "a");
    CatchUpWindow.Key b = new CatchUpWindow.Key(START, "b");
    CatchUpWindow.Key later = new CatchUpWindow.Key(START.plusMillis(1), "");
    assertThat(before).isLessThan(a);
    assertThat(a).isLessThan(b);
    assertThat(b).isLessThan(later);
  }

  @Test
  void propertiesHaveDefaultsAndNameTheVariableWhenBad() {
    CatchUpProperties p = new CatchUpProperties(null, null, null);
    assertThat(p.maxAge()).isEqualTo(DAY);
    assertThat(p.pageSize()).isEqualTo(500);
    assertThat(p.maxTrades()).isEqualTo(100_000);
    assertThat(p.enabled()).isTrue();
    assertThat(new CatchUpProperties(Duration.ZERO, null, null).enabled()).isFalse();
    assertThatThrownBy(() -> new CatchUpProperties(Duration.ofDays(8), null, null))
        .hasMessageContaining("PAPERTAPE_MATCHER_CATCHUP_MAX_AGE");
    assertThatThrownBy(() -> new CatchUpProperties(Duration.ofSeconds(-1), null, null))
        .hasMessageContaining("PAPERTAPE_MATCHER_CATCHUP_MAX_AGE");
    assertThatThrownBy(() -> new CatchUpProperties(null, 0, null))
        .hasMessageContaining("PAPERTAPE_MATCHER_CATCHUP_PAGE_SIZE");
    assertThatThrownBy(() -> new CatchUpProperties(null, null, 0))
        .hasMessageContaining("PAPERTAPE_MATCHER_CATCHUP_MAX_TRADES");
  }

  @Test
  void theSqlTwinOfTheRulesIsTheCandidateQuerysWithTheTradeColumns() {
    assertThat(MatchRules.REACHED_SQL)
        .isEqualTo(
            "((type = 'LIMIT' AND ((side = 'BUY' AND $3 <= limit_price) OR (side = 'SELL'"
                + " AND $3 >= limit_price)))"
                + " OR (type IN ('STOP', 'STOP_LIMIT') AND triggered_at IS NULL AND ((side = 'BUY'"
                + " AND $3 >= stop_price) OR (side = 'SELL' AND $3 <= stop_price)))"
                + " OR (type = 'STOP' AND triggered_at IS NOT NULL AND triggered_at <= $2)"
                + " OR (type = 'STOP_LIMIT' AND triggered_at IS NOT NULL AND triggered_at <= $2"
                + " AND ((side = 'BUY' AND $3 <= limit_price) OR (side = 'SELL'"
                + " AND $3 >= limit_price))))");
    assertThat(MatchRules.reachedSql("t.ts", "t.price"))
        .doesNotContain("$")
        .contains("triggered_at <= t.ts")
        .contains("t.price <= limit_price");
  }
}
