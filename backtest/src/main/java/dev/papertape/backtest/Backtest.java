package dev.papertape.backtest;

import dev.papertape.config.Settings;
import dev.papertape.feed.TradeSource;
import dev.papertape.flink.metrics.MetricsJobConfig;
import dev.papertape.flink.signals.ControlRecord;
import dev.papertape.flink.signals.PriceDrop;
import dev.papertape.flink.signals.SignalsJobConfig;
import dev.papertape.ledger.FillModelSettings;
import dev.papertape.ledger.performance.Performance;
import dev.papertape.model.MetricWindow;
import dev.papertape.model.Signal;
import dev.papertape.model.Trade;
import dev.papertape.strategy.ControlEvent;
import dev.papertape.strategy.ControlEventCodec;
import dev.papertape.strategy.Strategy;
import dev.papertape.strategy.StrategyTypes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backtest: the live graph ({@link BacktestGraph}) on a file in an embedded cluster, then the
 * fills ({@link FillSimulator}) and the statistics ({@link Performance}).
 */
public final class Backtest {
  private static final Logger LOG = LoggerFactory.getLogger(Backtest.class);

  /** The CEP pattern's name as a backtest strategy. */
  public static final String PRICE_DROP = PriceDrop.SOURCE;

  /** A run's settings from the environment: the fill model, short selling, the job settings. */
  public record Environment(
      FillModelSettings fill, boolean allowShort, Function<String, String> env) {

    /** From {@code env} ({@code System::getenv}). */
    public static Environment of(Function<String, String> env) {
      String shorts = env.apply("PAPERTAPE_ALLOW_SHORT");
      boolean allowShort;
      if (shorts == null || shorts.isBlank() || shorts.trim().equalsIgnoreCase("false")) {
        allowShort = false;
      } else if (shorts.trim().equalsIgnoreCase("true")) {
        allowShort = true;
      } else {
        throw new IllegalArgumentException(
            "PAPERTAPE_ALLOW_SHORT must be true or false, got '" + shorts.trim() + "'");
      }
      return new Environment(FillModelSettings.from(env), allowShort, env);
    }
  }

  /** What the job computed, before the fills. */
  public record Signals(
      List<Signal> signals, long windows, long rejected, long late, MetricWindow window) {}

  /** A whole run. */
  public record Result(
      BacktestRequest request,
      Map<String, String> canonicalParams,
      Environment environment,
      Signals job,
      FillSimulator.Result fills,
      Performance.Stats stats,
      Duration elapsed) {}

  /** The file has no trade in the period: a usage error. */
  public static final class NoTradesException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    NoTradesException(String message) {
      super(message);
    }
  }

  private final Environment environment;

  public Backtest(Environment environment) {
    this.environment = environment;
  }

  /**
   * The strategy's parameters validated and canonical (defaults filled in).
   *
   * @throws dev.papertape.model.InvalidRecordException for an unknown strategy, {@link
   *     dev.papertape.strategy.InvalidParameterException} naming a bad parameter
   */
  public static Map<String, String> canonicalParams(String strategy, Map<String, String> params) {
    if (PRICE_DROP.equals(strategy)) {
      return priceDropParams(params).canonical();
    }
    return new TreeMap<>(StrategyTypes.canonicalParams(strategy, params));
  }

  /** The pattern's parameters: {@code dropPct} (default 2) and {@code within} (default 5m). */
  record PriceDropParams(PriceDrop.Params params) {
    Map<String, String> canonical() {
      Map<String, String> m = new TreeMap<>();
      m.put("dropPct", params.dropPct().toPlainString());
      m.put("within", params.within().toMinutes() + "m");
      return m;
    }
  }

  static PriceDropParams priceDropParams(Map<String, String> params) {
    for (String k : params.keySet()) {
      if (!k.equals("dropPct") && !k.equals("within")) {
        throw new dev.papertape.strategy.InvalidParameterException(
            k, "unknown parameter; accepted: dropPct, within");
      }
    }
    Map<String, String> env = new HashMap<>();
    env.put("PAPERTAPE_PRICE_DROP_PCT", params.getOrDefault("dropPct", "2"));
    env.put("PAPERTAPE_PRICE_DROP_WITHIN", params.getOrDefault("within", "5m"));
    try {
      PriceDrop.Params p = PriceDrop.Params.from(new Settings(env));
      if (p == null) {
        throw new dev.papertape.strategy.InvalidParameterException(
            "dropPct", "must be greater than 0 and less than 100");
      }
      return new PriceDropParams(p);
    } catch (Settings.InvalidSettingException e) {
      String name = e.getMessage().contains("WITHIN") ? "within" : "dropPct";
      throw new dev.papertape.strategy.InvalidParameterException(
          name,
          name.equals("within")
              ? "must be whole minutes from 1m to 1d"
              : "must be a percentage greater than 0 and less than 100, at most 8 places");
    }
  }

  /** The window size the strategy reads. */
  static MetricWindow window(String strategy, String id, Map<String, String> canonical) {
    if (PRICE_DROP.equals(strategy)) {
      return MetricWindow.M1;
    }
    Strategy<?> s = StrategyTypes.create(id, strategy, canonical);
    return s.window();
  }

  /** Runs the backtest. */
  public Result run(BacktestRequest req) throws Exception {
    long started = System.nanoTime();
    Map<String, String> canonical = canonicalParams(req.strategy(), req.params());
    MetricWindow window = window(req.strategy(), req.id(), canonical);
    // Flink's iterator source needs a split with at least one element
    try (TradeSource first = req.file().open()) {
      if (first.next() == null) {
        throw new NoTradesException(
            "no trade of "
                + req.file().path()
                + " is in the period"
                + (req.file().from() == null ? "" : " from " + req.file().from())
                + (req.file().to() == null ? "" : " to " + req.file().to())
                + ": nothing to backtest; widen --from/--to or check the file");
      }
    }
    Signals job = signals(req, canonical, window);
    // slf4j 1.7 (Flink's): key=value pairs in the message
    LOG.info(
        "backtest job done signals={} windows={} rejected={} late={}",
        job.signals().size(),
        job.windows(),
        job.rejected(),
        job.late());

    FillSimulator sim =
        new FillSimulator(
            job.signals(),
            req.startCash(),
            environment.fill().fillModel(),
            environment.allowShort(),
            req.sizing(),
            window.size());
    try (TradeSource trades = req.file().open()) {
      for (Trade t = trades.next(); t != null; t = trades.next()) {
        sim.onTrade(t);
      }
    }
    FillSimulator.Result fills = sim.finish(req.symbols().isEmpty() ? null : req.symbols());
    Performance.Stats stats = Performance.of(fills.valuations(), fills.fillEvents());
    return new Result(
        req,
        canonical,
        environment,
        job,
        fills,
        stats,
        Duration.ofNanos(System.nanoTime() - started));
  }

  /** The signals of the live graph on the file (the job part of {@link #run}). */
  public Signals signals(BacktestRequest req, Map<String, String> canonical, MetricWindow window)
      throws Exception {
    Map<String, String> base = new HashMap<>();
    for (String name :
        List.of(
            "PAPERTAPE_WATERMARK_OUT_OF_ORDERNESS",
            "PAPERTAPE_WATERMARK_IDLENESS",
            "PAPERTAPE_ALLOWED_LATENESS",
            "PAPERTAPE_METRICS_WINDOWS",
            "PAPERTAPE_UNKNOWN_FIELDS")) {
      String v = environment.env().apply(name);
      if (v != null) {
        base.put(name, v);
      }
    }
    // as the live jobs run: trade ids remembered for the live job's largest window
    Duration dedupFor = MetricsJobConfig.from(new Settings(base)).largestWindow();
    Set<MetricWindow> windows = EnumSet.of(window);
    Map<String, String> metricsEnv = new HashMap<>(base);
    metricsEnv.put("PAPERTAPE_METRICS_WINDOWS", window.label());
    Map<String, String> signalsEnv = new HashMap<>(base);
    List<ControlRecord> initial = new ArrayList<>();
    if (PRICE_DROP.equals(req.strategy())) {
      PriceDrop.Params p = priceDropParams(req.params()).params();
      signalsEnv.put("PAPERTAPE_PRICE_DROP_PCT", p.dropPct().toPlainString());
      signalsEnv.put("PAPERTAPE_PRICE_DROP_WITHIN", p.within().toMinutes() + "m");
    } else {
      signalsEnv.put("PAPERTAPE_PRICE_DROP_PCT", "0");
      ControlEventCodec codec = new ControlEventCodec();
      ControlEvent.ActivateStrategy activate =
          new ControlEvent.ActivateStrategy(
              req.id(), req.strategy(), canonical, req.symbols(), false, null, null);
      initial.add(ControlRecord.of(activate.key(), codec.encode(activate), "backtest", 0, 0));
    }
    MetricsJobConfig mcfg = MetricsJobConfig.from(new Settings(metricsEnv));
    SignalsJobConfig scfg = SignalsJobConfig.from(new Settings(signalsEnv));

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    BacktestGraph.Outputs out =
        BacktestGraph.build(env, req.file(), mcfg, dedupFor, scfg, initial, windows, window);
    try {
      env.execute("papertape-backtest " + req.strategy());
      List<Signal> signals = new ArrayList<>(out.signals().values());
      signals.sort(
          Comparator.comparing(Signal::ts)
              .thenComparing(Signal::symbol)
              .thenComparing(Signal::source)
              .thenComparing(Signal::id));
      return new Signals(
          List.copyOf(signals),
          out.metrics().count(),
          out.rejected().count(),
          out.late().count(),
          window);
    } finally {
      out.release();
    }
  }
}
