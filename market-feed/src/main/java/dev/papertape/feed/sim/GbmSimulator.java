package dev.papertape.feed.sim;

import dev.papertape.model.Trade;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seedable market: trades of several symbols, each symbol's price a {@link GbmProcess}, arrivals
 * a Poisson process per symbol (exponential gaps), sizes from a {@link SizeDistribution}.
 *
 * <p><b>Time.</b> The simulator keeps its own clock in nanoseconds since the start of the run. The
 * model's year is a trading year of 252 days × 6.5 hours = 5,896,800 seconds of simulated time (the
 * simulated market never closes), so an annualised volatility of 30% moves a price about 1.9% per
 * 6.5 hours.
 *
 * <p><b>Determinism.</b> Everything but the event time is a function of the seed: the same seed and
 * settings give the same symbols, prices, sizes and trade ids in the same order. Arrivals, prices,
 * sizes and out-of-order shifts draw from four independent streams split from the seed, so turning
 * out-of-order on does not change the prices. Trade ids are {@code sim-<seed>-<symbol>-<sequence>}
 * (sequence per symbol, from 1). A {@link Scenario} multiplies the prices by a scripted factor of
 * the simulated time (e.g. {@link DipScenario}); it draws nothing, so it changes only the prices it
 * scripts.
 *
 * <p>Not thread-safe: one thread drives it. Use {@link #nextArrivalNanos} then {@link #emit} (the
 * caller decides the event time, e.g. the wall clock after waiting), or {@link #next} for simulated
 * event times.
 */
public final class GbmSimulator {
  /** Seconds in the model's year: 252 trading days of 6.5 hours. */
  public static final double TRADING_YEAR_SECONDS = 252 * 6.5 * 3600;

  private static final double TRADING_YEAR_NANOS = TRADING_YEAR_SECONDS * 1e9;

  /** Trade source name on the {@code trades} topic. */
  public static final String SOURCE = "sim";

  private final long seed;
  private final String[] symbols;
  private final String[] idPrefixes;
  private final GbmProcess[] processes;
  private final long[] lastStepNanos;
  private final long[] sequences;
  private final SizeDistribution sizes;
  private final OutOfOrderShifter outOfOrder;
  private final PriceRounder rounder;
  private final double meanGapNanos;
  private final Scenario scenario;
  private final SplittableRandom arrivals;
  private final SplittableRandom priceShocks;
  private final SplittableRandom sizeDraws;
  private final SplittableRandom delays;
  private long clockNanos;
  private int current = -1;

  public GbmSimulator(SimulatorConfig config, long seed) {
    this(config, seed, Scenario.NONE);
  }

  /**
   * A simulator whose prices follow {@code scenario} on top of the random walk: a trade's price is
   * the model price times the scenario's factor for its symbol at its arrival (simulated time), so
   * the walk, the arrivals, the sizes and the ids are those of the plain simulator with this seed.
   */
  public GbmSimulator(SimulatorConfig config, long seed, Scenario scenario) {
    this.seed = seed;
    this.scenario = scenario;
    List<SymbolSpec> specs = config.symbols();
    int n = specs.size();
    symbols = new String[n];
    idPrefixes = new String[n];
    processes = new GbmProcess[n];
    lastStepNanos = new long[n];
    sequences = new long[n];
    for (int i = 0; i < n; i++) {
      SymbolSpec s = specs.get(i);
      symbols[i] = s.symbol();
      idPrefixes[i] = "sim-" + seed + "-" + s.symbol() + "-";
      processes[i] = new GbmProcess(s.startPrice().doubleValue(), s.drift(), s.volatility());
    }
    sizes = config.sizes();
    outOfOrder = config.outOfOrder();
    rounder = new PriceRounder(config.tickSize());
    meanGapNanos = 1e9 / (config.ratePerSymbol() * n);
    SplittableRandom root = new SplittableRandom(seed);
    arrivals = root.split();
    priceShocks = root.split();
    sizeDraws = root.split();
    delays = root.split();
  }

  public long seed() {
    return seed;
  }

  /**
   * Moves the simulated clock to the next trade's arrival and picks its symbol.
   *
   * @return the arrival, in nanoseconds of simulated time since the start of the run
   */
  public long nextArrivalNanos() {
    clockNanos += Math.round(arrivals.nextExponential() * meanGapNanos);
    current = arrivals.nextInt(symbols.length);
    return clockNanos;
  }

  /**
   * The trade at the arrival chosen by {@link #nextArrivalNanos}: steps that symbol's price over
   * the simulated time since its previous trade.
   *
   * @param eventTime the trade's event time before any out-of-order shift
   */
  public Trade emit(Instant eventTime) {
    int i = current;
    if (i < 0) {
      throw new IllegalStateException("call nextArrivalNanos() before each emit()");
    }
    current = -1;
    double dtYears = (clockNanos - lastStepNanos[i]) / TRADING_YEAR_NANOS;
    lastStepNanos[i] = clockNanos;
    double price =
        processes[i].step(dtYears, priceShocks.nextGaussian())
            * scenario.factor(symbols[i], clockNanos);
    return new Trade(
        symbols[i],
        rounder.round(price),
        sizes.sample(sizeDraws),
        outOfOrder.shift(eventTime, delays),
        idPrefixes[i] + (++sequences[i]),
        SOURCE);
  }

  /** The next trade with a simulated event time: {@code start} plus the simulated clock. */
  public Trade next(Instant start) {
    long at = nextArrivalNanos();
    return emit(start.plusNanos(at));
  }

  /** The model (unrounded) price of a symbol now; for tests and diagnostics. */
  public double modelPrice(String symbol) {
    for (int i = 0; i < symbols.length; i++) {
      if (symbols[i].equals(symbol)) {
        return processes[i].price();
      }
    }
    throw new IllegalArgumentException("unknown symbol " + symbol);
  }
}
