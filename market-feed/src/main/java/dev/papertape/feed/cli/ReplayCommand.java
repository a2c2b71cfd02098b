package dev.papertape.feed.cli;

import dev.papertape.config.Durations;
import dev.papertape.config.Settings;
import dev.papertape.feed.Sleeper;
import dev.papertape.feed.Speed;
import dev.papertape.feed.TradeSource;
import dev.papertape.feed.app.FeedApp;
import dev.papertape.feed.config.FeedConfig;
import dev.papertape.feed.replay.BarCsvReader;
import dev.papertape.feed.replay.BarFile;
import dev.papertape.feed.replay.BarTicks;
import dev.papertape.feed.replay.PacedSource;
import dev.papertape.feed.replay.ReplayClock;
import dev.papertape.feed.replay.ReplayFormat;
import dev.papertape.feed.replay.TradeCsvReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code replay}: a trades or bars CSV file, checked whole before anything is produced. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Replays a CSV file to the trades topic, keeping the file's event times in ts.",
      "trades: symbol,price,size,ts[,tradeId]  (header optional)",
      "bars:   symbol,ts,open,high,low,close,volume  (header optional, rows in time order);",
      "        each bar becomes 4 ticks O -> nearer of H/L -> other extreme -> C at",
      "        start + k*length/4, volume split evenly with the remainder on the close.",
      "The whole file is checked first: a bad row produces nothing (exit code 3)."
    })
final class ReplayCommand implements Callable<Integer> {
  private static final Logger LOG = LogManager.getLogger(ReplayCommand.class);

  private final Map<String, String> env;

  @Spec CommandSpec spec;

  @Option(names = "--file", paramLabel = "F", required = true, description = "The CSV file.")
  Path file;

  @Option(
      names = "--format",
      paramLabel = "trades|bars",
      defaultValue = "trades",
      description = "trades (default) or bars.")
  ReplayFormat format;

  @Option(
      names = "--bar-interval",
      paramLabel = "D",
      converter = Converters.DurationConverter.class,
      description =
          "Bar length, e.g. 1m or 1d (default: the smallest gap between bars of a symbol).")
  Duration barInterval;

  @Option(
      names = "--speed",
      paramLabel = "max|realtime|Nx",
      converter = Converters.SpeedConverter.class,
      defaultValue = "max",
      description = "max (default), realtime, or a factor like 10x.")
  Speed speed;

  ReplayCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    FeedConfig config = FeedConfig.from(new Settings(env));
    if (barInterval != null && format != ReplayFormat.BARS) {
      throw new ParameterException(spec.commandLine(), "--bar-interval needs --format bars");
    }
    Function<Sleeper, TradeSource> sources =
        format == ReplayFormat.BARS ? barSources() : tradeSources();
    return FeedApp.runProcess(config, "replay", sources);
  }

  private Function<Sleeper, TradeSource> tradeSources() {
    long trades = TradeCsvReader.validate(file);
    LOG.info("replaying {}: {} trades, speed {}", file, trades, speed);
    return sleeper ->
        new PacedSource(
            new TradeCsvReader(file), new ReplayClock(speed, System::nanoTime, sleeper));
  }

  private Function<Sleeper, TradeSource> barSources() {
    BarFile bars = BarCsvReader.validate(file, barInterval);
    LOG.info(
        "replaying {}: {} bars of {}{} as {} ticks, speed {}",
        file,
        bars.bars(),
        Durations.format(bars.interval()),
        bars.inferred() ? " (inferred)" : "",
        bars.ticks(),
        speed);
    return sleeper ->
        new PacedSource(
            BarTicks.open(file, bars), new ReplayClock(speed, System::nanoTime, sleeper));
  }
}
