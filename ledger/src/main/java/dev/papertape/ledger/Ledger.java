package dev.papertape.ledger;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A portfolio's cash and positions, and the rules a fill must pass. One epoch of a portfolio: the
 * deposit ({@code startingCash}) and then fills. The same code checks and applies a fill in the API
 * (on the rows it locked) and in the tests, and {@link #replay} rebuilds the state from the fill
 * log alone.
 *
 * <p>Rules:
 *
 * <ul>
 *   <li>Short selling off: a sell of more than the long quantity held is refused ({@code
 *       INSUFFICIENT_POSITION}); a fill that would leave cash below zero is refused ({@code
 *       INSUFFICIENT_CASH}). Cash is never negative.
 *   <li>Short selling on: a sell may go short, as long as the short exposure of the portfolio at
 *       cost ({@code Σ |quantity| × avgCost} over its short positions) stays at most the starting
 *       cash ({@code SHORT_LIMIT}). A buy that only reduces a short (ends short or flat) is always
 *       accepted, even if cash goes negative, so a short can always be covered; any other fill that
 *       takes cash down must leave it at zero or more ({@code INSUFFICIENT_CASH}).
 * </ul>
 */
public final class Ledger {
  private final BigDecimal startingCash;
  private final boolean allowShort;
  private BigDecimal cash;
  private BigDecimal realizedPnl;
  private BigDecimal commissions;
  private final Map<String, Position> positions = new TreeMap<>();

  public Ledger(
      BigDecimal startingCash,
      boolean allowShort,
      BigDecimal cash,
      BigDecimal realizedPnl,
      BigDecimal commissions,
      Collection<Position> positions) {
    this.startingCash = Money.cents(startingCash);
    this.allowShort = allowShort;
    this.cash = Money.cents(cash);
    this.realizedPnl = Money.cents(realizedPnl);
    this.commissions = Money.cents(commissions);
    for (Position p : positions) {
      this.positions.put(p.symbol(), p);
    }
  }

  /** A fresh epoch: {@code startingCash} in cash, nothing else. */
  public static Ledger open(BigDecimal startingCash, boolean allowShort) {
    return new Ledger(
        startingCash, allowShort, startingCash, Money.ZERO_CASH, Money.ZERO_CASH, List.of());
  }

  /**
   * Checks a fill of {@code execution} against the rules and, if they pass, applies it.
   *
   * @throws LedgerRejection when a rule refuses it (nothing applied)
   */
  public Fill execute(String symbol, Execution execution) {
    Objects.requireNonNull(symbol, "symbol");
    Position before = positions.get(symbol);
    long held = before == null ? 0 : before.quantity();
    Side side = execution.side();
    long qty = execution.quantity();
    Position.Change change = Position.apply(before, symbol, side, qty, execution.price());
    long after = change.after() == null ? 0 : change.after().quantity();
    BigDecimal cashAfter = cash.add(execution.cashDelta());

    if (!allowShort && side == Side.SELL && qty > Math.max(held, 0)) {
      throw new LedgerRejection(
          LedgerRejection.Reason.INSUFFICIENT_POSITION,
          "Selling " + qty + " " + symbol + " but the portfolio holds " + Math.max(held, 0) + ".");
    }
    boolean coverOnly = allowShort && side == Side.BUY && held < 0 && after <= 0;
    if (cashAfter.signum() < 0 && execution.cashDelta().signum() < 0 && !coverOnly) {
      throw new LedgerRejection(
          LedgerRejection.Reason.INSUFFICIENT_CASH,
          "The fill costs "
              + execution.cashDelta().negate()
              + " (gross "
              + execution.gross()
              + " + commission "
              + execution.commission()
              + ") but the cash is "
              + cash
              + ".");
    }
    if (allowShort && side == Side.SELL && after < 0) {
      BigDecimal exposure = change.after().costBasis();
      for (Position p : positions.values()) {
        if (p.quantity() < 0 && !p.symbol().equals(symbol)) {
          exposure = exposure.add(p.costBasis());
        }
      }
      if (exposure.compareTo(startingCash) > 0) {
        throw new LedgerRejection(
            LedgerRejection.Reason.SHORT_LIMIT,
            "The short exposure at cost would be "
                + Money.cents(exposure)
                + ", above the limit of the starting cash "
                + startingCash
                + ".");
      }
    }
    return record(symbol, execution, change, cashAfter);
  }

  private Fill record(String symbol, Execution e, Position.Change change, BigDecimal cashAfter) {
    cash = cashAfter;
    realizedPnl = realizedPnl.add(change.realizedPnl());
    commissions = commissions.add(e.commission());
    if (change.after() == null) {
      positions.remove(symbol);
    } else {
      positions.put(symbol, change.after());
    }
    return new Fill(
        symbol,
        e.side(),
        e.quantity(),
        e.marketPrice(),
        e.slippage(),
        e.price(),
        e.gross(),
        e.commission(),
        e.cashDelta(),
        change.realizedPnl(),
        change.after() == null ? 0 : change.after().quantity(),
        cashAfter);
  }

  /**
   * Rebuilds an epoch from its deposit and its fill log, in order, with no rule checks (the rules
   * held when the fills were made). Each row must be consistent with itself and with the rows
   * before it (its gross, cash delta, realised P&amp;L, position and cash after are recomputed from
   * side, quantity, price and commission and compared); an inconsistent row is an {@link
   * IllegalStateException}.
   */
  public static Ledger replay(BigDecimal startingCash, boolean allowShort, List<Fill> fills) {
    Ledger l = open(startingCash, allowShort);
    int i = 0;
    for (Fill f : fills) {
      BigDecimal gross = Execution.gross(f.quantity(), f.price());
      Execution e =
          new Execution(
              f.side(),
              f.quantity(),
              f.marketPrice(),
              f.price(),
              f.slippage(),
              gross,
              f.commission(),
              Execution.cashDelta(f.side(), gross, f.commission()));
      Position.Change change =
          Position.apply(
              l.positions.get(f.symbol()), f.symbol(), f.side(), f.quantity(), f.price());
      Fill again = l.record(f.symbol(), e, change, l.cash.add(e.cashDelta()));
      if (!same(again, f)) {
        throw new IllegalStateException(
            "fill #" + i + " does not replay: stored " + f + ", replayed " + again);
      }
      i++;
    }
    return l;
  }

  private static boolean same(Fill a, Fill b) {
    return a.symbol().equals(b.symbol())
        && a.side() == b.side()
        && a.quantity() == b.quantity()
        && a.gross().compareTo(b.gross()) == 0
        && a.cashDelta().compareTo(b.cashDelta()) == 0
        && a.realizedPnl().compareTo(b.realizedPnl()) == 0
        && a.positionAfter() == b.positionAfter()
        && a.cashAfter().compareTo(b.cashAfter()) == 0;
  }

  public BigDecimal startingCash() {
    return startingCash;
  }

  public boolean allowShort() {
    return allowShort;
  }

  public BigDecimal cash() {
    return cash;
  }

  /** Realised P&amp;L of the epoch, commissions excluded. */
  public BigDecimal realizedPnl() {
    return realizedPnl;
  }

  public BigDecimal commissions() {
    return commissions;
  }

  /** The open positions by symbol. */
  public Map<String, Position> positions() {
    return Collections.unmodifiableMap(positions);
  }

  public Position position(String symbol) {
    return positions.get(symbol);
  }
}
