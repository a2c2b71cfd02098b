package dev.papertape.backtest.bench;

import dev.papertape.backtest.Backtest;
import dev.papertape.backtest.BacktestRequest;
import dev.papertape.backtest.CollectSink;
import dev.papertape.backtest.SizingRule;
import dev.papertape.backtest.TradeFile;
import dev.papertape.config.Settings;
import dev.papertape.feed.TradeSource;
import dev.papertape.feed.replay.ReplayFormat;
import dev.papertape.flink.signals.ControlRecord;
import dev.papertape.flink.signals.ParsedMetric;
import dev.papertape.flink.signals.RunStrategies;
import dev.papertape.flink.signals.SignalsJob;
import dev.papertape.flink.signals.SignalsJobConfig;
import dev.papertape.model.MetricWindow;
import dev.papertape.model.Signal;
import dev.papertape.model.Trade;
import dev.papertape.model.WindowMetrics;
import dev.papertape.strategy.ControlEvent;
import dev.papertape.strategy.ControlEventCodec;
import java.io.BufferedWriter;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code ./papertape bench backtest} (scripts/bench-backtest.sh):
 *
 * <ol>
 *   <li>{@code generate FILE YEARS}: a bars file, deterministic (seed 7): AAPL, GOOGL, MSFT, TSLA,
 *       1-minute bars 14:30-21:00 UTC on weekdays from 2023-01-02, a random walk;
 *   <li>{@code run FILE}: (a) read and parse the file with the backtest's readers only (bars
 *       expanded into ticks, best of two passes); (b) a backtest of vwap-deviation (defaults) on
 *       it; (c) the signals job alone on generated 1m metrics of four symbols (vwap-deviation and
 *       ma-crossover on all of them, the price-drop pattern on); prints the rates and the ratio
 *       (b)/(a).
 * </ol>
 */
public final class BacktestBench {
  private static final String[] SYMBOLS = {"AAPL", "GOOGL", "MSFT", "TSLA"};

  private BacktestBench() {}

  public static void main(String[] args) throws Exception {
    if (System.getProperty("log4j2.configurationFile") == null) {
      var config = BacktestBench.class.getResource("/backtest-log4j2.properties");
      if (config != null) {
        System.setProperty("log4j2.configurationFile", config.toString());
      }
    }
    if (args.length == 3 && args[0].equals("generate")) {
      generate(Path.of(args[1]), Integer.parseInt(args[2]));
    } else if (args.length == 3 && args[0].equals("run")) {
      run(Path.of(args[1]), Long.parseLong(args[2]), System.out);
    } else {
      throw new IllegalArgumentException(
          "usage: BacktestBench generate FILE YEARS | run FILE SIGNALS_METRICS");
    }
    System.exit(0);
  }

  static void generate(Path file, int years) throws Exception {
    SplittableRandom r = new SplittableRandom(7);
    BigDecimal[] price = {
      new BigDecimal("180.00"),
      new BigDecimal("140.00"),
      new BigDecimal("400.00"),
      new BigDecimal("250.00")
    };
    LocalDate day = LocalDate.of(2023, 1, 2);
    LocalDate end = day.plusYears(years);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (BufferedWriter w = Files.newBufferedWriter(tmp)) {
      w.write("symbol,ts,open,high,low,close,volume\n");
      for (; day.isBefore(end); day = day.plusDays(1)) {
        if (day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY) {
          continue;
        }
        long open = day.atTime(14, 30).toInstant(ZoneOffset.UTC).toEpochMilli();
        for (int m = 0; m < 390; m++) {
          String ts = Instant.ofEpochMilli(open + m * 60_000L).toString();
          for (int s = 0; s < SYMBOLS.length; s++) {
            BigDecimal o = price[s];
            BigDecimal c = step(o, r);
            BigDecimal hi = o.max(c).add(tick(o, r));
            BigDecimal lo = o.min(c).subtract(tick(o, r)).max(new BigDecimal("0.01"));
            price[s] = c;
            w.write(
                SYMBOLS[s]
                    + ","
                    + ts
                    + ","
                    + o.toPlainString()
                    + ","
                    + hi.toPlainString()
                    + ","
                    + lo.toPlainString()
                    + ","
                    + c.toPlainString()
                    + ","
                    + (100 + r.nextInt(5000))
                    + "\n");
          }
        }
      }
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static BigDecimal step(BigDecimal p, SplittableRandom r) {
    double change = (r.nextDouble() - 0.5) * 0.002;
    return p.multiply(BigDecimal.valueOf(1 + change))
        .setScale(2, RoundingMode.HALF_UP)
        .max(new BigDecimal("1.00"));
  }

  private static BigDecimal tick(BigDecimal p, SplittableRandom r) {
    return p.multiply(BigDecimal.valueOf(r.nextDouble() * 0.0005))
        .setScale(2, RoundingMode.HALF_UP);
  }

  static void run(Path file, long signalMetrics, PrintStream out) throws Exception {
    TradeFile bars = TradeFile.validate(file, ReplayFormat.BARS, null, null, null);
    long ticks = bars.trades();
    // (a) reading and parsing only, with the same readers
    double parse = 0;
    for (int pass = 0; pass < 2; pass++) {
      long t0 = System.nanoTime();
      long n = 0;
      try (TradeSource s = bars.open()) {
        for (Trade t = s.next(); t != null; t = s.next()) {
          n++;
        }
      }
      parse = Math.max(parse, n / ((System.nanoTime() - t0) / 1e9));
    }
    // (b) the backtest (the job and the fill pass; the file was validated above)
    BacktestRequest req =
        new BacktestRequest(
            "vwap-deviation",
            "bench-vwap",
            Map.of(),
            List.of(),
            bars,
            new BigDecimal("100000"),
            SizingRule.ALL_IN);
    Backtest.Result result =
        new Backtest(Backtest.Environment.of(Map.<String, String>of()::get)).run(req);
    double backtest = ticks / (result.elapsed().toNanos() / 1e9);
    // (c) the signals job alone
    double signals = signalsJob(signalMetrics);
    out.printf(
        Locale.ROOT,
        "  file                            : %s (%d bars of %s, %d ticks)%n",
        file,
        ticks / 4,
        bars.barInterval(),
        ticks);
    out.printf(Locale.ROOT, "  (a) read + parse only           : %.0f ticks/s%n", parse);
    out.printf(
        Locale.ROOT,
        "  (b) backtest vwap-deviation     : %.0f ticks/s (%.1f s: %d windows, %d signals, %d fills)%n",
        backtest,
        result.elapsed().toMillis() / 1000.0,
        result.job().windows(),
        result.job().signals().size(),
        result.fills().fills().size());
    out.printf(
        Locale.ROOT, "  ratio (b)/(a)                   : %.3f (goal >= 0.2)%n", backtest / parse);
    out.printf(
        Locale.ROOT,
        "  (c) signals job on 1m metrics   : %.0f metrics/s (%d metrics, 4 symbols, 2 instances + price-drop)%n",
        signals,
        signalMetrics);
  }

  /** The signals job's graph on {@code n} generated 1m metrics; metrics per second. */
  static double signalsJob(long n) throws Exception {
    SignalsJobConfig cfg = SignalsJobConfig.from(new Settings(Map.of()));
    ControlEventCodec codec = new ControlEventCodec();
    List<ControlRecord> initial = new ArrayList<>();
    for (ControlEvent.ActivateStrategy a :
        List.of(
            new ControlEvent.ActivateStrategy(
                "bench-vwap", "vwap-deviation", Map.of(), List.of(), false, null, null),
            new ControlEvent.ActivateStrategy(
                "bench-ma", "ma-crossover", Map.of(), List.of(), false, null, null))) {
      initial.add(ControlRecord.of(a.key(), codec.encode(a), "bench", 0, 0));
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    Configuration strict = new Configuration();
    strict.set(PipelineOptions.GENERIC_TYPES, false);
    env.configure(strict);
    env.setParallelism(1);
    DataStream<ParsedMetric> metrics =
        env.fromSequence(0, n - 1)
            .map(new Metric())
            .assignTimestampsAndWatermarks(SignalsJob.watermarks(cfg));
    DataStream<ControlRecord> none =
        env.fromData(ControlRecord.of("none", null, "bench", 0, 0)).filter(r -> false);
    CollectSink<Signal> out = CollectSink.counting();
    SignalsJob.build(
        metrics,
        none,
        cfg,
        new SignalsJob.Sinks(
            out, CollectSink.counting(), CollectSink.counting(), CollectSink.counting()),
        new RunStrategies(codec, Clock.systemUTC(), initial));
    long t0 = System.nanoTime();
    env.execute("bench-signals");
    double rate = n / ((System.nanoTime() - t0) / 1e9);
    out.release();
    return rate;
  }

  /** Metric {@code i}: symbol i % 4, 1m window i / 4 from 2023-01-02, a deterministic walk. */
  static final class Metric implements MapFunction<Long, ParsedMetric> {
    private static final long serialVersionUID = 1L;
    private static final long T0 = Instant.parse("2023-01-02T14:30:00Z").toEpochMilli();

    @Override
    public ParsedMetric map(Long i) {
      String symbol = SYMBOLS[(int) (i % 4)];
      long minute = i / 4;
      Instant start = Instant.ofEpochMilli(T0 + minute * 60_000L);
      long h = (minute * 2654435761L + i) & 0xffff;
      BigDecimal close =
          BigDecimal.valueOf(10_000 + (h % 400) - 200, 2).add(BigDecimal.valueOf(100));
      BigDecimal open = close.subtract(BigDecimal.valueOf((h % 7) - 3, 2));
      return ParsedMetric.valid(
          new WindowMetrics(
              symbol,
              MetricWindow.M1,
              start,
              start.plusSeconds(60),
              open,
              close.max(open),
              close.min(open),
              close,
              1000 + h,
              close,
              4,
              close.max(open).subtract(close.min(open))));
    }
  }
}
