package dev.papertape.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Ledger invariants over many random order sequences (fixed seeds, reproducible: a failure names
 * its seed). For any sequence of orders, applying the accepted fills one by one equals a replay of
 * the fill log; a refused order changes nothing; cash, commissions and realised P&amp;L equal the
 * sums of the fill rows; without shorting, cash is never negative and no position is short; each
 * fill's price, slippage, gross and commission equal an independent integer recomputation, exact to
 * the cent (and to 1e-8 for prices).
 */
class LedgerPropertyTest {
  private static final int SEQUENCES = 2000;
  private static final String[] SYMBOLS = {"AAA", "BBB", "CCC"};
  private static final BigInteger E8 = BigInteger.TEN.pow(8);

  /** A random fill model, and what it is, for the independent recomputation. */
  private record Model(
      FillModel fill,
      int slippageKind,
      BigDecimal slippage,
      int commissionKind,
      BigDecimal rate,
      BigDecimal min,
      BigDecimal max) {}

  private static BigDecimal decimal(SplittableRandom r, long maxUnits, int scale) {
    return BigDecimal.valueOf(r.nextLong(maxUnits + 1), scale);
  }

  private static Model model(SplittableRandom r) {
    int sk = r.nextInt(3);
    BigDecimal slip =
        switch (sk) {
          case 1 -> decimal(r, 10_000, 2); // 0 – 100.00 bps
          case 2 -> decimal(r, 100_000, 4); // 0 – 10.0000 per share
          default -> BigDecimal.ZERO;
        };
    Slippage s =
        switch (sk) {
          case 1 -> new Slippage.BasisPoints(slip);
          case 2 -> new Slippage.PerShare(slip);
          default -> new Slippage.None();
        };
    int ck = r.nextInt(4);
    BigDecimal rate =
        ck == 1 ? decimal(r, 1000, 4) : ck == 3 ? decimal(r, 5000, 2) : decimal(r, 1000, 2);
    BigDecimal min = r.nextBoolean() ? BigDecimal.ZERO : decimal(r, 500, 2);
    BigDecimal max = r.nextBoolean() ? BigDecimal.ZERO : min.add(decimal(r, 5000, 2));
    Commission c =
        switch (ck) {
          case 1 -> new Commission.PerShare(rate, min, max);
          case 2 -> new Commission.Flat(rate);
          case 3 -> new Commission.BasisPoints(rate, min, max);
          default -> new Commission.None();
        };
    return new Model(new FillModel(s, c), sk, slip, ck, rate, min, max);
  }

  /** Half-up division of a non-negative integer. */
  private static BigInteger halfUp(BigInteger n, BigInteger d) {
    return n.shiftLeft(1).add(d).divide(d.shiftLeft(1));
  }

  private static BigInteger units(BigDecimal v, int scale) {
    return v.movePointRight(scale).toBigIntegerExact();
  }

  /**
   * The expected execution, computed in integers (units of 1e-8 and of 1e-16), not BigDecimal
   * rounding.
   */
  private static void checkExecution(Model m, Side side, long qty, BigDecimal market, Execution e) {
    BigInteger mk = units(market, 8); // 1e-8
    BigInteger move =
        switch (m.slippageKind()) {
          case 1 ->
              halfUpSigned(
                  mk.multiply(units(m.slippage(), 2)),
                  side,
                  BigInteger.valueOf(1_000_000)); // bps×100
          case 2 -> units(m.slippage(), 4).multiply(BigInteger.valueOf(10_000));
          default -> BigInteger.ZERO;
        };
    BigInteger price = side == Side.BUY ? mk.add(move) : mk.subtract(move);
    if (price.signum() <= 0) {
      price = BigInteger.ONE;
    }
    assertThat(units(e.price(), 8)).as("price").isEqualTo(price);
    assertThat(units(e.slippage(), 8)).as("slippage").isEqualTo(price.subtract(mk).abs());
    BigInteger grossCents =
        halfUp(price.multiply(BigInteger.valueOf(qty)), BigInteger.valueOf(1_000_000));
    assertThat(units(e.gross(), 2)).as("gross").isEqualTo(grossCents);
    BigInteger fee; // in cents, from an exact raw value in 1e-8 units
    BigInteger minU = units(m.min(), 2).multiply(BigInteger.valueOf(1_000_000));
    BigInteger maxU = units(m.max(), 2).multiply(BigInteger.valueOf(1_000_000));
    switch (m.commissionKind()) {
      case 1, 3 -> {
        // per share: qty × rate (rate in 1e-4 → ×1e4 to 1e-8); bps: gross(cents) × bps(1e-2) / 1e4
        // → 1e-8 units ×1e6/1e6
        BigInteger raw =
            m.commissionKind() == 1
                ? BigInteger.valueOf(qty)
                    .multiply(units(m.rate(), 4))
                    .multiply(BigInteger.valueOf(10_000))
                : grossCents.multiply(units(m.rate(), 2));
        raw = raw.max(minU);
        if (maxU.signum() > 0) {
          raw = raw.min(maxU);
        }
        fee = halfUp(raw, BigInteger.valueOf(1_000_000));
      }
      case 2 -> fee = units(m.rate(), 2);
      default -> fee = BigInteger.ZERO;
    }
    assertThat(units(e.commission(), 2)).as("commission").isEqualTo(fee);
    BigInteger delta = side == Side.BUY ? grossCents.add(fee).negate() : grossCents.subtract(fee);
    assertThat(units(e.cashDelta(), 2)).as("cash delta").isEqualTo(delta);
  }

  /**
   * The bps move: market (1e-8) × bps×100 / 1e6 = market × bps / 1e4, rounded half-up on the
   * resulting price (a buy rounds the move half-up, a sell rounds the price half-up, i.e. the move
   * half-down).
   */
  private static BigInteger halfUpSigned(BigInteger n, Side side, BigInteger d) {
    if (side == Side.BUY) {
      return halfUp(n, d);
    }
    // price = mk − n/d rounded half-up = mk − floor-half-down(n/d)
    BigInteger[] qr = n.divideAndRemainder(d);
    return qr[1].shiftLeft(1).compareTo(d) > 0 ? qr[0].add(BigInteger.ONE) : qr[0];
  }

  private record State(
      BigDecimal cash,
      BigDecimal realized,
      BigDecimal commissions,
      Map<String, Position> positions) {
    static State of(Ledger l) {
      return new State(l.cash(), l.realizedPnl(), l.commissions(), new HashMap<>(l.positions()));
    }
  }

  @Test
  void fillsOneByOneEqualAReplayOfTheFillLog() {
    int fills = 0;
    int refusals = 0;
    for (int seed = 0; seed < SEQUENCES; seed++) {
      SplittableRandom r = new SplittableRandom(seed);
      Model m = model(r);
      boolean allowShort = r.nextInt(3) == 0;
      BigDecimal starting = decimal(r, 100_000_000, 2).add(BigDecimal.ONE);
      Ledger l = Ledger.open(starting, allowShort);
      List<Fill> log = new ArrayList<>();
      int steps = 1 + r.nextInt(60);
      for (int i = 0; i < steps; i++) {
        String sym = SYMBOLS[r.nextInt(SYMBOLS.length)];
        Side side = r.nextBoolean() ? Side.BUY : Side.SELL;
        long qty = 1 + r.nextLong(r.nextBoolean() ? 50 : 5000);
        BigDecimal market =
            BigDecimal.valueOf(1 + r.nextLong(r.nextBoolean() ? 100_000_000L : 500_000_000_000L), 8)
                .stripTrailingZeros();
        Execution e = m.fill().execute(side, qty, market);
        try {
          checkExecution(m, side, qty, market, e);
        } catch (AssertionError err) {
          throw new AssertionError(
              "seed " + seed + " step " + i + " " + m + " " + side + " " + qty + " @ " + market,
              err);
        }
        State before = State.of(l);
        try {
          Fill f = l.execute(sym, e);
          log.add(f);
          fills++;
        } catch (LedgerRejection rejected) {
          refusals++;
          assertThat(State.of(l))
              .as("seed %d: a refused fill changes nothing", seed)
              .isEqualTo(before);
        }
        if (!allowShort) {
          assertThat(l.cash().signum())
              .as("seed %d: cash never negative", seed)
              .isGreaterThanOrEqualTo(0);
          assertThat(l.positions().values()).allMatch(p -> p.quantity() > 0);
        }
      }
      Ledger replayed = Ledger.replay(starting, allowShort, log);
      assertThat(State.of(replayed)).as("seed %d", seed).isEqualTo(State.of(l));

      BigDecimal cash = starting;
      BigDecimal commissions = BigDecimal.ZERO;
      BigDecimal realized = BigDecimal.ZERO;
      Map<String, Long> qty = new HashMap<>();
      for (Fill f : log) {
        cash = cash.add(f.cashDelta());
        commissions = commissions.add(f.commission());
        realized = realized.add(f.realizedPnl());
        qty.merge(f.symbol(), f.side().sign() * f.quantity(), Long::sum);
        assertThat(f.cashAfter()).isEqualByComparingTo(cash);
        assertThat(f.positionAfter()).isEqualTo(qty.get(f.symbol()));
      }
      assertThat(l.cash()).isEqualByComparingTo(cash);
      assertThat(l.commissions()).isEqualByComparingTo(commissions);
      assertThat(l.realizedPnl()).isEqualByComparingTo(realized);
      for (String s : SYMBOLS) {
        long q = qty.getOrDefault(s, 0L);
        assertThat(l.position(s) == null ? 0 : l.position(s).quantity())
            .as("seed %d %s", seed, s)
            .isEqualTo(q);
      }
    }
    // the generator exercises both paths
    assertThat(fills).isGreaterThan(10_000);
    assertThat(refusals).isGreaterThan(1_000);
  }

  @Test
  void aClosedRoundTripWithoutFeesRealisesExactlyTheCashGain() {
    // with no slippage and no commission, buying then selling everything at whole-cent prices
    // realises exactly the change of cash when the buys average to a whole number of 1e-8
    for (int seed = 0; seed < 500; seed++) {
      SplittableRandom r = new SplittableRandom(1_000_000 + seed);
      Ledger l = Ledger.open(new BigDecimal("1000000000.00"), false);
      long held = 0;
      BigDecimal price = BigDecimal.valueOf(100 + r.nextInt(10_000), 2);
      long n = 1 + r.nextInt(1000);
      l.execute("AAA", FillModel.FREE.execute(Side.BUY, n, price));
      held += n;
      BigDecimal exit = BigDecimal.valueOf(100 + r.nextInt(10_000), 2);
      l.execute("AAA", FillModel.FREE.execute(Side.SELL, held, exit));
      assertThat(l.cash().subtract(new BigDecimal("1000000000.00")))
          .as("seed %d", seed)
          .isEqualByComparingTo(l.realizedPnl());
    }
  }
}
