package dev.papertape.api.portfolio.matching;

import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.api.portfolio.OrderStatus;
import dev.papertape.api.portfolio.OrderType;
import dev.papertape.ledger.Side;
import dev.papertape.model.Trade;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MatchRulesTest {
  static final Instant PLACED = Instant.parse("2026-03-02T15:00:00Z");
  static final Instant LATER = PLACED.plusSeconds(1);
  static final Instant NOW = PLACED.plusSeconds(2);

  static RestingOrder order(
      Side side, OrderType type, String limit, String stop, long qty, long filled) {
    return new RestingOrder(
        UUID.randomUUID(),
        1,
        1,
        "AAPL",
        side,
        type,
        qty,
        filled,
        limit == null ? null : new BigDecimal(limit),
        stop == null ? null : new BigDecimal(stop),
        filled == 0 ? OrderStatus.ACCEPTED : OrderStatus.PARTIALLY_FILLED,
        null,
        PLACED,
        null);
  }

  static Trade trade(String price, long size, Instant ts) {
    return new Trade("AAPL", new BigDecimal(price), size, ts, "t1", "test");
  }

  static Optional<Match> m(RestingOrder o, String price, long size) {
    return MatchRules.match(o, trade(price, size, LATER), NOW);
  }

  @Test
  void limitBuyFillsAtOrBelowItsLimitForAtMostTheTradeSize() {
    RestingOrder o = order(Side.BUY, OrderType.LIMIT, "100", null, 10, 0);
    assertThat(m(o, "100.00000001", 100)).isEmpty();
    assertThat(m(o, "100", 3)).contains(new Match(false, 3, false));
    assertThat(m(o, "99", 100)).contains(new Match(false, 10, false));
    RestingOrder partly = order(Side.BUY, OrderType.LIMIT, "100", null, 10, 8);
    assertThat(m(partly, "99", 100)).contains(new Match(false, 2, false));
  }

  @Test
  void limitSellFillsAtOrAboveItsLimit() {
    RestingOrder o = order(Side.SELL, OrderType.LIMIT, "100", null, 10, 0);
    assertThat(m(o, "99.99", 100)).isEmpty();
    assertThat(m(o, "100", 100)).contains(new Match(false, 10, false));
  }

  @Test
  void aTradeNotAfterTheOrderOrOfAnotherSymbolOrOnAClosedOrderNeverFills() {
    RestingOrder o = order(Side.BUY, OrderType.LIMIT, "100", null, 10, 0);
    assertThat(MatchRules.match(o, trade("90", 1, PLACED), NOW)).isEmpty();
    assertThat(MatchRules.match(o, trade("90", 1, PLACED.minusMillis(1)), NOW)).isEmpty();
    assertThat(
            MatchRules.match(
                o, new Trade("MSFT", new BigDecimal("90"), 1, LATER, "t", "test"), NOW))
        .isEmpty();
    for (OrderStatus s :
        new OrderStatus[] {
          OrderStatus.FILLED, OrderStatus.CANCELED, OrderStatus.EXPIRED, OrderStatus.REJECTED
        }) {
      RestingOrder closed =
          new RestingOrder(
              o.id(),
              1,
              1,
              "AAPL",
              Side.BUY,
              OrderType.LIMIT,
              10,
              0,
              o.limitPrice(),
              null,
              s,
              null,
              PLACED,
              null);
      assertThat(m(closed, "90", 1)).as(s.name()).isEmpty();
    }
  }

  @Test
  void anExpiredDayOrderNeverFillsEvenBeforeTheSweep() {
    RestingOrder o = order(Side.BUY, OrderType.LIMIT, "100", null, 10, 0);
    RestingOrder day =
        new RestingOrder(
            o.id(),
            1,
            1,
            "AAPL",
            Side.BUY,
            OrderType.LIMIT,
            10,
            0,
            o.limitPrice(),
            null,
            OrderStatus.ACCEPTED,
            null,
            PLACED,
            LATER.plusSeconds(10));
    assertThat(MatchRules.match(day, trade("90", 1, LATER), NOW)).isPresent();
    // expired at the trade's time, or now
    assertThat(MatchRules.match(day, trade("90", 1, LATER.plusSeconds(10)), NOW)).isEmpty();
    assertThat(MatchRules.match(day, trade("90", 1, LATER), LATER.plusSeconds(10))).isEmpty();
  }

  @Test
  void stopsTriggerAtTheirStopAndThenFillLikeMarketOrders() {
    RestingOrder buy = order(Side.BUY, OrderType.STOP, null, "105", 5, 0);
    assertThat(m(buy, "104.99", 10)).isEmpty();
    assertThat(m(buy, "105", 2)).contains(new Match(true, 2, true));
    RestingOrder sell = order(Side.SELL, OrderType.STOP, null, "95", 5, 0);
    assertThat(m(sell, "95.01", 10)).isEmpty();
    assertThat(m(sell, "94", 10)).contains(new Match(true, 5, true));

    RestingOrder triggered = triggered(buy, LATER);
    assertThat(MatchRules.match(triggered, trade("90", 10, LATER), NOW))
        .contains(new Match(false, 5, true));
    assertThat(MatchRules.match(triggered, trade("90", 10, LATER.minusMillis(1)), NOW)).isEmpty();
  }

  @Test
  void stopLimitsTriggerThenRestAsLimits() {
    RestingOrder o = order(Side.BUY, OrderType.STOP_LIMIT, "105.5", "105", 5, 0);
    assertThat(m(o, "104", 10)).isEmpty();
    assertThat(m(o, "106", 10)).contains(new Match(true, 0, false)); // triggered, above limit
    assertThat(m(o, "105.2", 10)).contains(new Match(true, 5, false)); // triggered and filled
    RestingOrder t = triggered(o, LATER);
    assertThat(MatchRules.match(t, trade("106", 10, NOW), NOW)).isEmpty();
    assertThat(MatchRules.match(t, trade("105.5", 3, NOW), NOW))
        .contains(new Match(false, 3, false));
    RestingOrder sell = order(Side.SELL, OrderType.STOP_LIMIT, "94.5", "95", 5, 0);
    assertThat(m(sell, "94", 10)).contains(new Match(true, 0, false));
    assertThat(m(sell, "94.8", 10)).contains(new Match(true, 5, false));
  }

  static RestingOrder triggered(RestingOrder o, Instant at) {
    return new RestingOrder(
        o.id(),
        o.portfolioId(),
        o.epoch(),
        o.symbol(),
        o.side(),
        o.type(),
        o.quantity(),
        o.filledQuantity(),
        o.limitPrice(),
        o.stopPrice(),
        o.status(),
        at,
        o.createdAt(),
        o.expiresAt());
  }
}
