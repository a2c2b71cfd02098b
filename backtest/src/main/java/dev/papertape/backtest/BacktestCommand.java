package dev.papertape.backtest;

import dev.papertape.config.Durations;
import dev.papertape.feed.replay.InvalidInputFileException;
import dev.papertape.feed.replay.ReplayFormat;
import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.MetricWindow;
import dev.papertape.strategy.Ids;
import dev.papertape.strategy.StrategyTypes;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./papertape backtest}: parses and checks the command line and the file (exit 2 with a
 * message naming what is wrong), runs the {@link Backtest} (exit 1 if it fails), prints the report
 * (exit 0).
 */
@Command(
    name = "backtest",
    description = {
      "Runs a strategy on a CSV file through the same Flink graph as the live jobs (an embedded",
      "cluster, as fast as it can), simulates the fills with the paper ledger's fill model and",
      "rules, and prints a report."
    })
public final class BacktestCommand {
  /** Exit codes. */
  public static final int OK = 0;

  public static final int FAILED = 1;
  public static final int USAGE = 2;

  /** The largest starting cash, as the API's. */
  static final BigDecimal MAX_CASH = new BigDecimal("1e12");

  @Option(names = "--strategy", paramLabel = "NAME", required = true)
  String strategy;

  @Option(names = "--id", paramLabel = "ID")
  String id;

  @Option(names = "--symbols", paramLabel = "S1,S2", split = ",")
  List<String> symbols = new ArrayList<>();

  @Option(names = "--param", paramLabel = "K=V")
  List<String> params = new ArrayList<>();

  @Option(names = "--window", paramLabel = "W")
  String window;

  @Option(names = "--csv", paramLabel = "FILE", required = true)
  Path csv;

  @Option(names = "--format", paramLabel = "trades|bars")
  String format = "trades";

  @Option(names = "--bar-interval", paramLabel = "D")
  String barInterval;

  @Option(names = "--from", paramLabel = "T")
  String from;

  @Option(names = "--to", paramLabel = "T")
  String to;

  @Option(names = "--cash", paramLabel = "C")
  String cash = "100000";

  @Option(names = "--sizing", paramLabel = "MODE:VALUE")
  String sizing;

  @Option(names = "--json")
  boolean json;

  /** A bad command line or input: exit 2 with this message. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  public static void main(String[] args) {
    if (System.getProperty("log4j2.configurationFile") == null) {
      // before anything logs: stdout carries the report, logs go to stderr
      var config = BacktestCommand.class.getResource("/backtest-log4j2.properties");
      if (config != null) {
        System.setProperty("log4j2.configurationFile", config.toString());
      }
    }
    int code = run(args, System::getenv, System.out, System.err);
    System.exit(code);
  }

  /** Runs one command line; the exit code. */
  public static int run(
      String[] args, Function<String, String> env, PrintStream out, PrintStream err) {
    BacktestCommand cmd = new BacktestCommand();
    BacktestRequest req;
    Backtest.Environment environment;
    try {
      new CommandLine(cmd).parseArgs(args);
      req = cmd.request();
      environment = Backtest.Environment.of(env);
    } catch (CommandLine.ParameterException e) {
      err.println("✗ " + e.getMessage() + " (see ./papertape backtest --help)");
      return USAGE;
    } catch (UsageException | InvalidRecordException | IllegalArgumentException e) {
      err.println("✗ " + e.getMessage());
      return USAGE;
    } catch (InvalidInputFileException e) {
      err.println("✗ " + e.getMessage() + "; fix the file or choose another");
      return USAGE;
    }
    try {
      Backtest.Result result = new Backtest(environment).run(req);
      out.print(cmd.json ? BacktestReport.jsonText(result) : BacktestReport.text(result));
      out.flush();
      return OK;
    } catch (Backtest.NoTradesException e) {
      err.println("✗ " + e.getMessage());
      return USAGE;
    } catch (Exception e) {
      err.println("✗ the backtest failed: " + e);
      for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
        err.println("  caused by: " + c);
      }
      return FAILED;
    }
  }

  /** The checked request; reads the whole file once (as replay does). */
  BacktestRequest request() {
    String name = strategy.trim();
    if (!Backtest.PRICE_DROP.equals(name)) {
      StrategyTypes.get(name); // unknown: names the accepted ones
    }
    String instanceId = id == null ? name : id;
    Ids.check("id", instanceId);
    Map<String, String> p = new LinkedHashMap<>();
    for (String kv : params) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new UsageException("--param '" + kv + "' is not NAME=VALUE (e.g. lookback=20)");
      }
      if (p.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim()) != null) {
        throw new UsageException("--param " + kv.substring(0, eq).trim() + " is given twice");
      }
    }
    if (window != null) {
      if (p.containsKey("window")) {
        throw new UsageException("--window and --param window=… are both given: keep one");
      }
      MetricWindow.parse(window.trim()); // a clear error for an unknown size
      p.put("window", window.trim());
    }
    Backtest.canonicalParams(name, p); // unknown or bad parameters, by name
    ReplayFormat fmt =
        switch (format.trim().toLowerCase(Locale.ROOT)) {
          case "trades" -> ReplayFormat.TRADES;
          case "bars" -> ReplayFormat.BARS;
          default ->
              throw new UsageException(
                  "--format '" + format + "' is not a format; accepted: trades, bars");
        };
    Duration interval = null;
    if (barInterval != null) {
      if (fmt != ReplayFormat.BARS) {
        throw new UsageException("--bar-interval applies to --format bars only");
      }
      try {
        interval = Durations.parsePositive(barInterval);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--bar-interval: " + e.getMessage());
      }
    }
    Instant fromTs = time("--from", from);
    Instant toTs = time("--to", to);
    if (fromTs != null && toTs != null && !fromTs.isBefore(toTs)) {
      throw new UsageException("--from " + from + " is not before --to " + to);
    }
    BigDecimal startCash = cash(cash);
    SizingRule rule = sizing == null ? SizingRule.ALL_IN : SizingRule.parse(sizing);
    List<String> syms = new ArrayList<>();
    boolean all = symbols.size() == 1 && symbols.get(0).trim().equalsIgnoreCase("all");
    for (String s : all ? List.<String>of() : symbols) {
      if (!s.isBlank()) {
        syms.add(dev.papertape.model.Symbols.normalize("symbols", s.trim()));
      }
    }
    if (!syms.isEmpty() && Backtest.PRICE_DROP.equals(name)) {
      throw new UsageException(
          "--symbols does not apply to price-drop: the pattern runs on every symbol of the file");
    }
    if (!Files.exists(csv)) {
      throw new UsageException("--csv " + csv + ": no such file");
    }
    TradeFile file = TradeFile.validate(csv, fmt, interval, fromTs, toTs);
    return new BacktestRequest(name, instanceId, p, syms, file, startCash, rule);
  }

  static BigDecimal cash(String text) {
    BigDecimal c;
    try {
      if (text.length() > 30) {
        throw new NumberFormatException();
      }
      c = new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("--cash '" + text + "' is not a number (e.g. 100000 or 25000.50)");
    }
    if (c.compareTo(BigDecimal.ONE) < 0
        || c.compareTo(MAX_CASH) > 0
        || c.stripTrailingZeros().scale() > 2) {
      throw new UsageException(
          "--cash must be from 1.00 to 1000000000000 with at most 2 decimals, got " + text);
    }
    return c.setScale(2);
  }

  /** ISO-8601 with an offset, a date (midnight UTC) or epoch milliseconds. */
  static Instant time(String option, String text) {
    if (text == null) {
      return null;
    }
    String t = text.trim();
    try {
      if (t.matches("\\d{1,18}")) {
        return Instant.ofEpochMilli(Long.parseLong(t));
      }
      if (t.matches("\\d{4}-\\d{2}-\\d{2}")) {
        return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeException | NumberFormatException e) {
      throw new UsageException(
          option
              + " '"
              + text
              + "' is not a time: ISO-8601 with an offset (2026-01-05T14:30:00Z), a date"
              + " (2026-01-05) or epoch milliseconds");
    }
  }
}
