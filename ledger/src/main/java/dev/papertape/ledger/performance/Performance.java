package dev.papertape.ledger.performance;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The performance statistics of a portfolio, from its valuations over time (the snapshots) and its
 * fills. Pure functions; every definition is in the README ("Performance"). Statistics are ratios,
 * computed in {@link #MC} (34 digits) and rounded to {@link #SCALE} decimals; money stays exact.
 *
 * <ul>
 *   <li>total return = V_last / V_first − 1
 *   <li>annualised return = (1 + total)^(year / elapsed) − 1, elapsed from the first to the last
 *       valuation; none for less than a day (it would extrapolate minutes to a year)
 *   <li>max drawdown = max over t of (peak before t − V_t) / peak, with the peak's and the trough's
 *       times
 *   <li>per-interval returns r_i = V_i / V_{i−1} − 1 between consecutive valuations; Sharpe =
 *       mean(r) / stdev(r) × √(intervals per year), sample standard deviation, risk-free rate 0;
 *       Sortino = mean(r) / downside deviation × √(intervals per year), downside deviation = √(Σ
 *       min(r, 0)² / n); intervals per year from the median spacing of the valuations
 *   <li>a round trip: a symbol's position from flat to flat again (a reversal closes one and opens
 *       the next); its P&amp;L = realised P&amp;L of its fills − their commissions; win rate =
 *       round trips with P&amp;L &gt; 0 / round trips; profit factor = Σ winning P&amp;L / |Σ
 *       losing P&amp;L| (none without a loss)
 *   <li>exposure = share of the valuations with an open position
 * </ul>
 */
public final class Performance {
  /** Decimals of every ratio in the answer. */
  public static final int SCALE = 6;

  static final MathContext MC = MathContext.DECIMAL128;
  private static final BigDecimal SECONDS_PER_YEAR = BigDecimal.valueOf(365.25 * 24 * 3600);

  private Performance() {}

  /** A valuation of the portfolio at a time (a snapshot). */
  public record Valuation(Instant at, BigDecimal total, boolean invested) {}

  /** One fill, as the statistics need it. */
  public record FillEvent(
      String symbol,
      long signedQuantity,
      BigDecimal realizedPnl,
      BigDecimal commission,
      Instant at) {}

  /** A closed round trip of one symbol. */
  public record RoundTrip(String symbol, Instant opened, Instant closed, BigDecimal pnl) {}

  /** The drawdown with the times of its peak and trough. */
  public record Drawdown(BigDecimal fraction, Instant peakAt, Instant troughAt) {}

  /** Every statistic; a {@code null} is "not defined for this history" (see each definition). */
  public record Stats(
      Instant from,
      Instant to,
      BigDecimal startValue,
      BigDecimal endValue,
      BigDecimal totalReturn,
      BigDecimal annualizedReturn,
      Drawdown maxDrawdown,
      BigDecimal sharpe,
      BigDecimal sortino,
      int roundTrips,
      BigDecimal winRate,
      BigDecimal profitFactor,
      BigDecimal exposure,
      int fills) {}

  /** The statistics of a history; valuations in time order (at least one), fills in time order. */
  public static Stats of(List<Valuation> valuations, List<FillEvent> fills) {
    if (valuations.isEmpty()) {
      throw new IllegalArgumentException("no valuation yet");
    }
    Valuation first = valuations.get(0);
    Valuation last = valuations.get(valuations.size() - 1);
    BigDecimal total = ratio(last.total(), first.total()).subtract(BigDecimal.ONE);
    List<RoundTrip> trips = roundTrips(fills);
    BigDecimal wins = BigDecimal.ZERO;
    BigDecimal losses = BigDecimal.ZERO;
    int won = 0;
    for (RoundTrip t : trips) {
      if (t.pnl().signum() > 0) {
        won++;
        wins = wins.add(t.pnl());
      } else if (t.pnl().signum() < 0) {
        losses = losses.add(t.pnl().negate());
      }
    }
    long invested = valuations.stream().filter(Valuation::invested).count();
    return new Stats(
        first.at(),
        last.at(),
        first.total(),
        last.total(),
        round(total),
        annualized(total, Duration.between(first.at(), last.at())),
        maxDrawdown(valuations),
        sharpe(valuations),
        sortino(valuations),
        trips.size(),
        trips.isEmpty() ? null : round(BigDecimal.valueOf(won).divide(count(trips.size()), MC)),
        losses.signum() == 0 ? null : round(wins.divide(losses, MC)),
        round(BigDecimal.valueOf(invested).divide(count(valuations.size()), MC)),
        fills.size());
  }

  static BigDecimal annualized(BigDecimal total, Duration elapsed) {
    if (elapsed.compareTo(Duration.ofDays(1)) < 0) {
      return null;
    }
    double years = elapsed.toMillis() / 1000.0 / SECONDS_PER_YEAR.doubleValue();
    double growth = BigDecimal.ONE.add(total).doubleValue();
    if (growth <= 0) {
      return round(BigDecimal.ONE.negate());
    }
    return round(BigDecimal.valueOf(Math.pow(growth, 1 / years) - 1));
  }

  static Drawdown maxDrawdown(List<Valuation> valuations) {
    Valuation peak = valuations.get(0);
    BigDecimal worst = BigDecimal.ZERO;
    Instant worstPeak = null;
    Instant worstTrough = null;
    for (Valuation v : valuations) {
      if (v.total().compareTo(peak.total()) > 0) {
        peak = v;
      }
      if (peak.total().signum() > 0) {
        BigDecimal dd = peak.total().subtract(v.total()).divide(peak.total(), MC);
        if (dd.compareTo(worst) > 0) {
          worst = dd;
          worstPeak = peak.at();
          worstTrough = v.at();
        }
      }
    }
    return new Drawdown(round(worst), worstPeak, worstTrough);
  }

  /** r_i = V_i / V_{i−1} − 1. */
  static List<BigDecimal> returns(List<Valuation> valuations) {
    List<BigDecimal> out = new ArrayList<>();
    for (int i = 1; i < valuations.size(); i++) {
      BigDecimal prev = valuations.get(i - 1).total();
      if (prev.signum() > 0) {
        out.add(ratio(valuations.get(i).total(), prev).subtract(BigDecimal.ONE));
      }
    }
    return out;
  }

  /** √(intervals per year), from the median spacing of the valuations; null without spacing. */
  static BigDecimal annualization(List<Valuation> valuations) {
    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < valuations.size(); i++) {
      gaps.add(Duration.between(valuations.get(i - 1).at(), valuations.get(i).at()).toMillis());
    }
    gaps.sort(Long::compare);
    if (gaps.isEmpty() || gaps.get(gaps.size() / 2) <= 0) {
      return null;
    }
    BigDecimal seconds = BigDecimal.valueOf(gaps.get(gaps.size() / 2)).movePointLeft(3);
    return SECONDS_PER_YEAR.divide(seconds, MC).sqrt(MC);
  }

  static BigDecimal sharpe(List<Valuation> valuations) {
    List<BigDecimal> r = returns(valuations);
    BigDecimal k = annualization(valuations);
    if (r.size() < 2 || k == null) {
      return null;
    }
    BigDecimal mean = mean(r);
    BigDecimal sumSq = BigDecimal.ZERO;
    for (BigDecimal x : r) {
      BigDecimal d = x.subtract(mean);
      sumSq = sumSq.add(d.multiply(d));
    }
    BigDecimal sd = sumSq.divide(count(r.size() - 1), MC).sqrt(MC);
    return sd.signum() == 0 ? null : round(mean.divide(sd, MC).multiply(k));
  }

  static BigDecimal sortino(List<Valuation> valuations) {
    List<BigDecimal> r = returns(valuations);
    BigDecimal k = annualization(valuations);
    if (r.isEmpty() || k == null) {
      return null;
    }
    BigDecimal downSq = BigDecimal.ZERO;
    for (BigDecimal x : r) {
      if (x.signum() < 0) {
        downSq = downSq.add(x.multiply(x));
      }
    }
    BigDecimal dd = downSq.divide(count(r.size()), MC).sqrt(MC);
    return dd.signum() == 0 ? null : round(mean(r).divide(dd, MC).multiply(k));
  }

  /** Round trips per symbol, from flat to flat; a reversal closes one and opens the next. */
  static List<RoundTrip> roundTrips(List<FillEvent> fills) {
    Map<String, Long> position = new HashMap<>();
    Map<String, Instant> opened = new HashMap<>();
    Map<String, BigDecimal> pnl = new HashMap<>();
    List<RoundTrip> out = new ArrayList<>();
    for (FillEvent f : fills) {
      long before = position.getOrDefault(f.symbol(), 0L);
      long after = before + f.signedQuantity();
      if (before == 0) {
        opened.put(f.symbol(), f.at());
        pnl.put(f.symbol(), BigDecimal.ZERO);
      }
      BigDecimal p =
          pnl.getOrDefault(f.symbol(), BigDecimal.ZERO)
              .add(f.realizedPnl())
              .subtract(f.commission());
      boolean reversed = before != 0 && after != 0 && Long.signum(before) != Long.signum(after);
      if (after == 0 || reversed) {
        out.add(new RoundTrip(f.symbol(), opened.get(f.symbol()), f.at(), p));
        // a reversal opens the next trip at this fill; its commission was counted in the closed one
        opened.put(f.symbol(), f.at());
        pnl.put(f.symbol(), BigDecimal.ZERO);
      } else {
        pnl.put(f.symbol(), p);
      }
      position.put(f.symbol(), after);
    }
    return out;
  }

  private static BigDecimal ratio(BigDecimal a, BigDecimal b) {
    return a.divide(b, MC);
  }

  private static BigDecimal mean(List<BigDecimal> xs) {
    BigDecimal sum = BigDecimal.ZERO;
    for (BigDecimal x : xs) {
      sum = sum.add(x);
    }
    return sum.divide(count(xs.size()), MC);
  }

  private static BigDecimal count(long n) {
    return BigDecimal.valueOf(n);
  }

  private static BigDecimal round(BigDecimal x) {
    return x.setScale(SCALE, RoundingMode.HALF_EVEN);
  }
}
