package dev.papertape.backtest;

import dev.papertape.ledger.Execution;
import dev.papertape.ledger.Fill;
import dev.papertape.ledger.FillModel;
import dev.papertape.ledger.Ledger;
import dev.papertape.ledger.LedgerRejection;
import dev.papertape.ledger.Money;
import dev.papertape.ledger.OrderSizing;
import dev.papertape.ledger.Position;
import dev.papertape.ledger.Side;
import dev.papertape.ledger.performance.Performance;
import dev.papertape.model.Signal;
import dev.papertape.model.Trade;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a backtest's signals into paper fills, walking the trades of the file once.
 *
 * <p><b>Fills.</b> A signal of a symbol with window end {@code ts} becomes a MARKET order filled at
 * the first trade of that symbol, in the order the file is read, with event time ≥ {@code ts} (the
 * first trade after the window closed; the live path fills at the latest price when the signal
 * arrives, which is that trade or a later one). Its quantity comes from the {@link SizingRule} on
 * the cash and position of that moment; the price and commission from the ledger's {@link
 * FillModel} (slippage, commission); the rules from the {@link Ledger} (cash never below 0, no
 * short sale unless allowed, the short limit). A quantity of 0 or a rule's refusal is a refused
 * order (counted by reason), never a partial fill. A signal with no such trade stays unfilled.
 * Signals of one symbol fill in (ts, source, id) order.
 *
 * <p><b>Valuations</b> (for return, drawdown and Sharpe): the starting cash at the start of the
 * first trade's window, then the value at the end of every window (of {@code step}, the strategy's
 * window size) in which something traded: cash + Σ quantity × the symbol's last trade price, each
 * rounded half-up to the cent, as the API values a portfolio. The last is the final value.
 */
public final class FillSimulator {
  /** A refused order: the signal, the reason code and the sentence. */
  public record Refusal(Signal signal, String reason, String detail) {}

  /** A fill of a signal at a trade. */
  public record SimFill(Signal signal, Instant tradeTs, String tradeId, Fill fill) {}

  /** The buy-and-hold comparison. */
  public record BuyAndHold(List<String> symbols, BigDecimal finalValue, BigDecimal totalReturn) {}

  /** Everything the report needs. */
  public record Result(
      BigDecimal startCash,
      BigDecimal cash,
      BigDecimal finalValue,
      BigDecimal commissions,
      Map<String, Position> positions,
      List<SimFill> fills,
      List<Refusal> refused,
      List<Signal> unfilled,
      List<Performance.Valuation> valuations,
      List<Performance.FillEvent> fillEvents,
      long trades,
      Instant firstTrade,
      Instant lastTrade,
      BuyAndHold buyAndHold) {}

  private static final Comparator<Signal> ORDER =
      Comparator.comparing(Signal::ts).thenComparing(Signal::source).thenComparing(Signal::id);

  private final BigDecimal startCash;
  private final FillModel model;
  private final SizingRule sizing;
  private final long stepMillis;
  private final Ledger ledger;
  private final Map<String, Deque<Signal>> pending = new HashMap<>();
  private final Map<String, BigDecimal> lastPrice = new TreeMap<>();
  private final Map<String, BigDecimal> firstPrice = new TreeMap<>();
  private final List<SimFill> fills = new ArrayList<>();
  private final List<Refusal> refused = new ArrayList<>();
  private final List<Performance.Valuation> valuations = new ArrayList<>();
  private final List<Performance.FillEvent> fillEvents = new ArrayList<>();
  private long trades;
  private Instant firstTrade;
  private Instant lastTrade;
  private long currentEnd = Long.MIN_VALUE;

  /**
   * @param signals every signal of the run, any order
   * @param step the window size of the valuations (the strategy's)
   */
  public FillSimulator(
      Collection<Signal> signals,
      BigDecimal startCash,
      FillModel model,
      boolean allowShort,
      SizingRule sizing,
      Duration step) {
    this.startCash = Money.cents(startCash);
    this.model = model;
    this.sizing = sizing;
    this.stepMillis = step.toMillis();
    this.ledger = Ledger.open(startCash, allowShort);
    List<Signal> sorted = new ArrayList<>(signals);
    sorted.sort(ORDER);
    for (Signal s : sorted) {
      if (s.side() != null) {
        pending.computeIfAbsent(s.symbol(), k -> new ArrayDeque<>()).add(s);
      }
    }
  }

  /** One trade of the file, in file order. */
  public void onTrade(Trade t) {
    trades++;
    long ts = t.ts().toEpochMilli();
    long end = Math.floorDiv(ts, stepMillis) * stepMillis + stepMillis;
    if (currentEnd == Long.MIN_VALUE) {
      currentEnd = end;
      valuations.add(
          new Performance.Valuation(Instant.ofEpochMilli(end - stepMillis), startCash, false));
    } else if (end > currentEnd) {
      valuations.add(valuation(Instant.ofEpochMilli(currentEnd)));
      currentEnd = end;
    }
    if (firstTrade == null || t.ts().isBefore(firstTrade)) {
      firstTrade = t.ts();
    }
    if (lastTrade == null || t.ts().isAfter(lastTrade)) {
      lastTrade = t.ts();
    }
    firstPrice.putIfAbsent(t.symbol(), t.price());
    lastPrice.put(t.symbol(), t.price());
    Deque<Signal> queue = pending.get(t.symbol());
    while (queue != null && !queue.isEmpty() && !queue.peek().ts().isAfter(t.ts())) {
      fill(queue.poll(), t);
    }
  }

  private void fill(Signal s, Trade t) {
    Side side = Side.valueOf(s.side().name());
    Position p = ledger.position(s.symbol());
    long held = p == null ? 0 : p.quantity();
    long qty = sizing.quantity(side, ledger.cash(), held, ledger.allowShort(), t.price(), model);
    if (qty <= 0) {
      refused.add(
          new Refusal(
              s,
              side == Side.BUY ? "nothing-affordable" : "nothing-held",
              side == Side.BUY
                  ? "the cash " + ledger.cash() + " buys no share at " + t.price().toPlainString()
                  : "no " + s.symbol() + " held to sell"));
      return;
    }
    qty = Math.min(qty, OrderSizing.MAX_QUANTITY);
    Execution e = model.execute(side, qty, t.price());
    try {
      Fill f = ledger.execute(s.symbol(), e);
      fills.add(new SimFill(s, t.ts(), t.tradeId(), f));
      fillEvents.add(
          new Performance.FillEvent(
              s.symbol(), side.sign() * qty, f.realizedPnl(), f.commission(), t.ts()));
    } catch (LedgerRejection r) {
      refused.add(
          new Refusal(s, r.reason().name().toLowerCase().replace('_', '-'), r.getMessage()));
    }
  }

  private Performance.Valuation valuation(Instant at) {
    return new Performance.Valuation(at, value(), !ledger.positions().isEmpty());
  }

  /** Cash + Σ round(quantity × last price, 2); a position without a price at cost. */
  private BigDecimal value() {
    BigDecimal v = ledger.cash();
    for (Position p : ledger.positions().values()) {
      BigDecimal price = lastPrice.get(p.symbol());
      v =
          v.add(
              price == null
                  ? Money.cents(p.costBasis())
                  : Money.cents(price.multiply(BigDecimal.valueOf(p.quantity()))));
    }
    return v;
  }

  /**
   * Ends the walk.
   *
   * @param symbols the symbols of the buy-and-hold comparison (null: every symbol traded)
   */
  public Result finish(List<String> symbols) {
    if (currentEnd != Long.MIN_VALUE) {
      valuations.add(valuation(Instant.ofEpochMilli(currentEnd)));
    }
    List<Signal> unfilled = new ArrayList<>();
    for (Deque<Signal> q : pending.values()) {
      unfilled.addAll(q);
    }
    unfilled.sort(ORDER);
    return new Result(
        startCash,
        ledger.cash(),
        valuations.isEmpty() ? startCash : valuations.get(valuations.size() - 1).total(),
        ledger.commissions(),
        new TreeMap<>(ledger.positions()),
        List.copyOf(fills),
        List.copyOf(refused),
        List.copyOf(unfilled),
        List.copyOf(valuations),
        List.copyOf(fillEvents),
        trades,
        firstTrade,
        lastTrade,
        buyAndHold(symbols));
  }

  /**
   * The starting cash split evenly (to the cent, rounded down; the rest stays cash) over the
   * symbols that traded, each share bought at its first trade through the fill model (the most
   * whole shares its part pays for, commission included) and valued at its last trade price.
   */
  BuyAndHold buyAndHold(List<String> symbols) {
    List<String> held = new ArrayList<>();
    for (String s : firstPrice.keySet()) {
      if (symbols == null || symbols.contains(s)) {
        held.add(s);
      }
    }
    if (held.isEmpty()) {
      return new BuyAndHold(List.of(), startCash, BigDecimal.ZERO.setScale(6));
    }
    BigDecimal part =
        startCash.divide(BigDecimal.valueOf(held.size()), Money.CASH_SCALE, RoundingMode.DOWN);
    BigDecimal total = startCash;
    for (String s : held) {
      long q = OrderSizing.affordable(model, part, firstPrice.get(s), OrderSizing.MAX_QUANTITY);
      if (q == 0) {
        continue;
      }
      Execution buy = model.execute(Side.BUY, q, firstPrice.get(s));
      total =
          total
              .add(buy.cashDelta())
              .add(Money.cents(lastPrice.get(s).multiply(BigDecimal.valueOf(q))));
    }
    BigDecimal ret =
        total
            .divide(startCash, 34, RoundingMode.HALF_UP)
            .subtract(BigDecimal.ONE)
            .setScale(6, RoundingMode.HALF_UP);
    return new BuyAndHold(List.copyOf(held), total, ret);
  }
}
