package dev.papertape.feed.cli;

import dev.papertape.config.Durations;
import dev.papertape.config.Settings;
import dev.papertape.feed.Speed;
import dev.papertape.feed.app.FeedApp;
import dev.papertape.feed.config.FeedConfig;
import dev.papertape.feed.sim.DipScenario;
import dev.papertape.feed.sim.GbmSimulator;
import dev.papertape.feed.sim.Scenario;
import dev.papertape.feed.sim.ScenarioName;
import dev.papertape.feed.sim.SimulationSource;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code simulate}: GBM trades for the configured symbols, in real time or as fast as possible. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Simulates trades: per-symbol geometric Brownian motion, Poisson arrivals, log-normal sizes.",
      "realtime: trades arrive at PAPERTAPE_FEED_RATE per symbol, ts = wall clock at emission.",
      "max: as fast as possible, ts = --start plus the simulated inter-arrival times.",
      "Runs until --count trades, --duration of (simulated) time, or SIGTERM."
    })
final class SimulateCommand implements Callable<Integer> {
  private static final Logger LOG = LogManager.getLogger(SimulateCommand.class);

  private final Map<String, String> env;

  @Spec CommandSpec spec;

  @Option(names = "--count", paramLabel = "N", description = "Stop after N trades.")
  Long count;

  @Option(
      names = "--duration",
      paramLabel = "D",
      converter = Converters.DurationConverter.class,
      description = "Stop after D of event time (e.g. 30s, 10m, 2h, 1d).")
  Duration duration;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description =
          "Random seed, 0 or more (default: PAPERTAPE_FEED_SEED, else random and logged).")
  Long seed;

  @Option(
      names = "--speed",
      paramLabel = "realtime|max",
      converter = Converters.SpeedConverter.class,
      defaultValue = "realtime",
      description = "realtime (default) or max.")
  Speed speed;

  @Option(
      names = "--start",
      paramLabel = "ISO",
      converter = Converters.InstantConverter.class,
      description = "First event time with --speed max (default: now), e.g. 2026-01-05T14:30:00Z.")
  Instant start;

  @Option(
      names = "--rate",
      paramLabel = "R",
      description = "Mean trades per second per symbol (default: PAPERTAPE_FEED_RATE, 5).")
  Double rate;

  @Option(
      names = "--scenario",
      paramLabel = "none|demo",
      description =
          "A scripted move on top of the random walk (default: PAPERTAPE_FEED_SCENARIO, none)."
              + " demo: TSLA dips 6%% about 35 s after the start, then recovers.")
  String scenario;

  SimulateCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    FeedConfig config = FeedConfig.from(new Settings(env));
    Speed effectiveSpeed = speed == null ? Speed.REALTIME : speed;
    checkFlags(effectiveSpeed);
    if (rate != null) {
      config = config.withSimulator(config.simulator().withRate(rate));
    }
    if (seed != null) {
      config = config.withSeed(seed);
    }
    if (scenario != null) {
      config = config.withScenario(scenarioFlag(config));
    }
    long runSeed =
        config.seed().isPresent()
            ? config.seed().getAsLong()
            : new SecureRandom().nextLong() & Long.MAX_VALUE;
    Instant first = start != null ? start : Instant.now().truncatedTo(ChronoUnit.MILLIS);
    LOG.info(
        "simulating at speed {}{}{}, seed {} (repeat with --seed {}): {}",
        effectiveSpeed,
        count == null ? "" : ", " + count + " trades",
        duration == null ? "" : ", for " + Durations.format(duration),
        runSeed,
        runSeed,
        config.describeSimulator());
    Scenario script = config.scenario().build(first);
    if (script instanceof DipScenario dip) {
      LOG.info(
          "scenario {}: {}; the dip starts at about {}{}",
          config.scenario().label(),
          dip.describe(),
          dip.startsAt(first),
          effectiveSpeed.isMax() ? "" : " (wall clock)");
    }
    GbmSimulator simulator = new GbmSimulator(config.simulator(), runSeed, script);
    long limit = count == null ? Long.MAX_VALUE : count;
    return FeedApp.runProcess(
        config,
        "simulate",
        sleeper ->
            new SimulationSource(
                simulator,
                effectiveSpeed,
                first,
                limit,
                duration,
                Clock.systemUTC(),
                System::nanoTime,
                sleeper));
  }

  private ScenarioName scenarioFlag(FeedConfig config) {
    ScenarioName name;
    try {
      name = ScenarioName.parse(scenario);
    } catch (IllegalArgumentException e) {
      throw usage("--scenario: " + e.getMessage());
    }
    String missing = FeedConfig.missingSymbol(name, config.simulator());
    if (missing != null) {
      throw usage(
          "--scenario "
              + name.label()
              + " needs "
              + missing
              + " among the simulated symbols (PAPERTAPE_FEED_SYMBOLS)");
    }
    return name;
  }

  private void checkFlags(Speed effectiveSpeed) {
    if (!effectiveSpeed.isMax() && !effectiveSpeed.isRealtime()) {
      throw usage("simulate runs at --speed realtime or --speed max, not " + effectiveSpeed);
    }
    if (start != null && !effectiveSpeed.isMax()) {
      throw usage("--start needs --speed max (in realtime mode ts is the wall clock)");
    }
    if (count != null && count < 1) {
      throw usage("--count must be at least 1, got " + count);
    }
    if (seed != null && seed < 0) {
      throw usage("--seed must be 0 or more, got " + seed);
    }
    if (rate != null && !(rate > 0 && rate <= 1_000_000)) {
      throw usage("--rate must be greater than 0 (trades per second per symbol), got " + rate);
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
