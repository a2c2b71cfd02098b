package dev.papertape.feed.config;

import dev.papertape.config.Durations;
import dev.papertape.config.Settings;
import dev.papertape.config.Settings.InvalidSettingException;
import dev.papertape.feed.sim.DipScenario;
import dev.papertape.feed.sim.OutOfOrderShifter;
import dev.papertape.feed.sim.PriceRounder;
import dev.papertape.feed.sim.ScenarioName;
import dev.papertape.feed.sim.SimulatorConfig;
import dev.papertape.feed.sim.SizeDistribution;
import dev.papertape.feed.sim.SymbolSpec;
import dev.papertape.kafka.Topics;
import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.Prices;
import dev.papertape.model.Symbols;
import dev.papertape.ops.BindAddress;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The market feed's settings, read once at start from environment variables (command-line flags
 * override some of them). Every variable is optional:
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code PAPERTAPE_KAFKA_BOOTSTRAP}</td><td>{@code localhost:9092}</td>
 *       <td>Kafka bootstrap servers</td></tr>
 *   <tr><td>{@code PAPERTAPE_TRADES_TOPIC}</td><td>{@code trades}</td>
 *       <td>topic the trades are produced to (created at start when missing)</td></tr>
 *   <tr><td>{@code PAPERTAPE_TRADES_PARTITIONS}</td><td>{@code 4}</td>
 *       <td>partitions of the trades topic when the feed creates it</td></tr>
 *   <tr><td>{@code PAPERTAPE_TOPIC_RETENTION_DAYS}</td><td>{@code 7}</td>
 *       <td>retention of the trades topic when the feed creates it</td></tr>
 *   <tr><td>{@code PAPERTAPE_FEED_PORT}</td><td>{@code 8082}</td>
 *       <td>port of {@code /healthz}; 0 = any free port</td></tr>
 *   <tr><td>{@code PAPERTAPE_BIND_ADDRESS}</td><td>{@code 127.0.0.1}</td>
 *       <td>address {@code /healthz} listens on (an IP; {@code 0.0.0.0} = every interface)</td></tr>
 *   <tr><td>{@code PAPERTAPE_FEED_SYMBOLS}</td><td>{@code AAPL,GOOGL,MSFT,TSLA}</td>
 *       <td>simulated symbols</td></tr>
 *   <tr><td>{@code PAPERTAPE_FEED_START_PRICES}</td><td>{@code AAPL=190,GOOGL=175,MSFT=420,TSLA=250}</td>
 *       <td>start price per symbol ({@code SYMBOL=price} items; a bare price applies to the other
 *       symbols); entries override these built-in ones; every simulated symbol needs one</td></tr>
 *   <tr><td>{@code PAPERTAPE_FEED_DRIFT}</td><td>{@code 0.05}</td>
 *       <td>annualised drift μ of the GBM; a bare value and/or {@code SYMBOL=value} items</td></tr>
 *   <tr><td>{@code PAPERTAPE_FEED_VOLATILITY}</td><td>{@code 0.3}</td>
 *       <td>annualised volatility σ of the GBM, e.g. {@code 0.3,TSLA=0.6}</td></tr>
 *   <tr><td>{@code PAPERTAPE_FEED_RATE}</td><td>{@code 5}</td>
 *       <td>mean trades per second per symbol (Poisson arrivals)</td></tr>
 *   <tr><td>{@code PAPERTAPE_FEED_SIZE_MIN}</td><td>{@code 1}</td><td>smallest trade size</td></tr>
 *   <tr><td>{@code PAPERTAPE_FEED_SIZE_MAX}</td><td>{@code 10000}</td><td>largest trade size</td></tr>
 *   <tr><td>{@code PAPERTAPE_FEED_SIZE_MEDIAN}</td><td>{@code 100}</td>
 *       <td>median trade size (sizes are log-normal, rounded, clamped to [min, max])</td></tr>
 *   <tr><td>{@code PAPERTAPE_FEED_SIZE_SIGMA}</td><td>{@code 1.0}</td>
 *       <td>standard deviation of ln(size)</td></tr>
 *   <tr><td>{@code PAPERTAPE_FEED_TICK_SIZE}</td><td>{@code 0.01}</td>
 *       <td>simulated prices are multiples of it (rounded half-even)</td></tr>
 *   <tr><td>{@code PAPERTAPE_FEED_SEED}</td><td>unset = random</td>
 *       <td>simulator seed (0 or more); the seed used is logged so a run can be repeated</td></tr>
 *   <tr><td>{@code PAPERTAPE_FEED_OUT_OF_ORDER_PROBABILITY}</td><td>{@code 0}</td>
 *       <td>chance a simulated trade's ts is moved back</td></tr>
 *   <tr><td>{@code PAPERTAPE_FEED_OUT_OF_ORDER_MAX_DELAY}</td><td>{@code 2s}</td>
 *       <td>largest such move (uniform from 1 ms)</td></tr>
 *   <tr><td>{@code PAPERTAPE_FEED_SCENARIO}</td><td>{@code none}</td>
 *       <td>a scripted scenario on top of the random walk: {@code none}, or {@code demo} (TSLA dips
 *       6 % about 35 s after the start and recovers, see {@link DipScenario#demo}; needs TSLA among
 *       the symbols); {@code ./papertape demo} runs the feed with it</td></tr>
 *   <tr><td>{@code PAPERTAPE_LOG_LEVEL}</td><td>{@code INFO}</td>
 *       <td>log level (read by {@code log4j2.xml})</td></tr>
 * </table>
 *
 * @param kafkaBootstrap Kafka bootstrap servers
 * @param tradesTopic the topic trades are produced to
 * @param tradesPartitions partitions of the trades topic when created
 * @param topicRetentionDays retention of the trades topic when created
 * @param healthPort port of {@code /healthz} (0 = any free port)
 * @param bindAddress address of {@code /healthz}
 * @param simulator what the simulator simulates
 * @param seed the simulator seed; empty = a random one
 * @param scenario the scripted scenario of the simulator
 */
public record FeedConfig(
    String kafkaBootstrap,
    String tradesTopic,
    int tradesPartitions,
    int topicRetentionDays,
    int healthPort,
    InetAddress bindAddress,
    SimulatorConfig simulator,
    OptionalLong seed,
    ScenarioName scenario) {

  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
  private static final String DEFAULT_START_PRICES = "AAPL=190,GOOGL=175,MSFT=420,TSLA=250";
  private static final Map<String, BigDecimal> BUILT_IN_START_PRICES =
      Map.of(
          "AAPL", new BigDecimal("190"),
          "GOOGL", new BigDecimal("175"),
          "MSFT", new BigDecimal("420"),
          "TSLA", new BigDecimal("250"));
  private static final String SYMBOLS = "PAPERTAPE_FEED_SYMBOLS";
  private static final String START_PRICES = "PAPERTAPE_FEED_START_PRICES";
  private static final String SCENARIO = "PAPERTAPE_FEED_SCENARIO";

  /** Reads and checks every setting; the error names the variable and the accepted values. */
  public static FeedConfig from(Settings s) {
    String topic = s.string("PAPERTAPE_TRADES_TOPIC", Topics.TRADES);
    if (!TOPIC.matcher(topic).matches()) {
      throw new InvalidSettingException(
          "PAPERTAPE_TRADES_TOPIC", topic, "a Kafka topic name: 1-249 of a-z A-Z 0-9 . _ -");
    }
    SimulatorConfig simulator = simulator(s);
    return new FeedConfig(
        s.string("PAPERTAPE_KAFKA_BOOTSTRAP", "localhost:9092"),
        topic,
        s.integer("PAPERTAPE_TRADES_PARTITIONS", 4, 1, 10_000),
        s.integer("PAPERTAPE_TOPIC_RETENTION_DAYS", 7, 1, 36_500),
        s.integer("PAPERTAPE_FEED_PORT", 8082, 0, 65_535),
        BindAddress.from(s),
        simulator,
        seed(s),
        scenario(s, simulator));
  }

  private static ScenarioName scenario(Settings s, SimulatorConfig simulator) {
    ScenarioName name =
        s.choice(SCENARIO, ScenarioName.NONE, ScenarioName::parse, ScenarioName.ACCEPTED);
    String missing = missingSymbol(name, simulator);
    if (missing != null) {
      throw new InvalidSettingException(
          SCENARIO,
          name.label(),
          "none, or "
              + name.label()
              + " with "
              + missing
              + " among the simulated symbols (PAPERTAPE_FEED_SYMBOLS="
              + simulator.symbols().stream()
                  .map(SymbolSpec::symbol)
                  .collect(Collectors.joining(","))
              + ")");
    }
    return name;
  }

  /**
   * The first symbol {@code scenario} needs that {@code simulator} does not simulate, or {@code
   * null}.
   */
  public static String missingSymbol(ScenarioName scenario, SimulatorConfig simulator) {
    for (String needed : scenario.needs()) {
      if (simulator.symbols().stream().noneMatch(sp -> sp.symbol().equals(needed))) {
        return needed;
      }
    }
    return null;
  }

  private static OptionalLong seed(Settings s) {
    if (s.string("PAPERTAPE_FEED_SEED", null) == null) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(s.longValue("PAPERTAPE_FEED_SEED", 0, 0, Long.MAX_VALUE));
  }

  private static SimulatorConfig simulator(Settings s) {
    List<SymbolSpec> specs = symbols(s);
    double rate = s.decimal("PAPERTAPE_FEED_RATE", 5.0, 0, 1_000_000);
    if (!(rate > 0)) {
      throw new InvalidSettingException(
          "PAPERTAPE_FEED_RATE", Double.toString(rate), "a number of trades/s greater than 0");
    }
    return new SimulatorConfig(specs, rate, sizes(s), tickSize(s), outOfOrder(s));
  }

  private static List<SymbolSpec> symbols(Settings s) {
    List<String> symbols =
        s.list(
            SYMBOLS,
            List.of("AAPL", "GOOGL", "MSFT", "TSLA"),
            v -> Symbols.normalize("symbol", v),
            "comma-separated ticker symbols like AAPL,MSFT");
    Set<String> unique = new HashSet<>(symbols);
    if (unique.size() != symbols.size()) {
      throw new InvalidSettingException(
          SYMBOLS, String.join(",", symbols), "comma-separated symbols, each listed once");
    }
    PerSymbol<BigDecimal> prices =
        PerSymbol.read(s, START_PRICES, DEFAULT_START_PRICES, FeedConfig::price, "a price > 0");
    PerSymbol<Double> drifts =
        PerSymbol.read(
            s, "PAPERTAPE_FEED_DRIFT", "0.05", PerSymbol.number(-10, 10), "a number in [-10, 10]");
    PerSymbol<Double> vols =
        PerSymbol.read(
            s, "PAPERTAPE_FEED_VOLATILITY", "0.3", PerSymbol.number(0, 10), "a number in [0, 10]");
    List<SymbolSpec> specs = new ArrayList<>();
    for (String symbol : symbols) {
      BigDecimal price = prices.get(symbol);
      if (price == null) {
        price = BUILT_IN_START_PRICES.get(symbol);
      }
      if (price == null) {
        throw new InvalidSettingException(
            START_PRICES,
            s.string(START_PRICES, DEFAULT_START_PRICES),
            "a start price for every symbol of " + SYMBOLS + ": add " + symbol + "=<price>");
      }
      specs.add(
          new SymbolSpec(
              symbol,
              price,
              require(s, drifts.get(symbol), "PAPERTAPE_FEED_DRIFT", symbol),
              require(s, vols.get(symbol), "PAPERTAPE_FEED_VOLATILITY", symbol)));
    }
    return specs;
  }

  private static double require(Settings s, Double v, String name, String symbol) {
    if (v == null) {
      throw new InvalidSettingException(
          name,
          s.string(name, ""),
          "a bare value for every symbol, or a " + symbol + "=<value> item");
    }
    return v;
  }

  private static BigDecimal price(String text) {
    try {
      return Prices.canonical("price", new BigDecimal(text));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a decimal number", e);
    } catch (InvalidRecordException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static SizeDistribution sizes(Settings s) {
    long min = s.longValue("PAPERTAPE_FEED_SIZE_MIN", 1, 1, 1_000_000_000L);
    long max = s.longValue("PAPERTAPE_FEED_SIZE_MAX", 10_000, 1, 1_000_000_000L);
    if (max < min) {
      throw new InvalidSettingException(
          "PAPERTAPE_FEED_SIZE_MAX",
          Long.toString(max),
          "at least PAPERTAPE_FEED_SIZE_MIN (" + min + ")");
    }
    long median =
        s.longValue("PAPERTAPE_FEED_SIZE_MEDIAN", Math.min(max, Math.max(min, 100)), min, max);
    double sigma = s.decimal("PAPERTAPE_FEED_SIZE_SIGMA", 1.0, 0, 10);
    return new SizeDistribution(min, max, median, sigma);
  }

  private static BigDecimal tickSize(Settings s) {
    String raw = s.string("PAPERTAPE_FEED_TICK_SIZE", "0.01");
    try {
      BigDecimal tick = new BigDecimal(raw);
      new PriceRounder(tick);
      return tick;
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException(
          "PAPERTAPE_FEED_TICK_SIZE",
          raw,
          "a decimal greater than 0 with at most 8 places, e.g. 0.01");
    }
  }

  private static OutOfOrderShifter outOfOrder(Settings s) {
    return new OutOfOrderShifter(
        s.decimal("PAPERTAPE_FEED_OUT_OF_ORDER_PROBABILITY", 0, 0, 1),
        s.duration("PAPERTAPE_FEED_OUT_OF_ORDER_MAX_DELAY", Duration.ofSeconds(2)));
  }

  public FeedConfig withSeed(long newSeed) {
    return new FeedConfig(
        kafkaBootstrap,
        tradesTopic,
        tradesPartitions,
        topicRetentionDays,
        healthPort,
        bindAddress,
        simulator,
        OptionalLong.of(newSeed),
        scenario);
  }

  public FeedConfig withSimulator(SimulatorConfig newSimulator) {
    return new FeedConfig(
        kafkaBootstrap,
        tradesTopic,
        tradesPartitions,
        topicRetentionDays,
        healthPort,
        bindAddress,
        newSimulator,
        seed,
        scenario);
  }

  public FeedConfig withScenario(ScenarioName newScenario) {
    return new FeedConfig(
        kafkaBootstrap,
        tradesTopic,
        tradesPartitions,
        topicRetentionDays,
        healthPort,
        bindAddress,
        simulator,
        seed,
        newScenario);
  }

  /** The effective settings by variable name, for the start-up log line (there are no secrets). */
  public Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("PAPERTAPE_KAFKA_BOOTSTRAP", kafkaBootstrap);
    m.put("PAPERTAPE_TRADES_TOPIC", tradesTopic);
    m.put("PAPERTAPE_TRADES_PARTITIONS", Integer.toString(tradesPartitions));
    m.put("PAPERTAPE_TOPIC_RETENTION_DAYS", Integer.toString(topicRetentionDays));
    m.put("PAPERTAPE_FEED_PORT", Integer.toString(healthPort));
    m.put(BindAddress.SETTING, bindAddress.getHostAddress());
    return m;
  }

  /** The effective simulator settings by variable name, for the start-up log line. */
  public Map<String, String> describeSimulator() {
    SimulatorConfig c = simulator;
    Map<String, String> m = new LinkedHashMap<>();
    m.put(SYMBOLS, join(c, SymbolSpec::symbol, false));
    m.put(START_PRICES, join(c, sp -> sp.startPrice().toPlainString(), true));
    m.put("PAPERTAPE_FEED_DRIFT", join(c, sp -> Double.toString(sp.drift()), true));
    m.put("PAPERTAPE_FEED_VOLATILITY", join(c, sp -> Double.toString(sp.volatility()), true));
    m.put("PAPERTAPE_FEED_RATE", Double.toString(c.ratePerSymbol()));
    m.put("PAPERTAPE_FEED_SIZE_MIN", Long.toString(c.sizes().min()));
    m.put("PAPERTAPE_FEED_SIZE_MAX", Long.toString(c.sizes().max()));
    m.put("PAPERTAPE_FEED_SIZE_MEDIAN", Long.toString(c.sizes().median()));
    m.put("PAPERTAPE_FEED_SIZE_SIGMA", Double.toString(c.sizes().sigma()));
    m.put("PAPERTAPE_FEED_TICK_SIZE", c.tickSize().toPlainString());
    m.put("PAPERTAPE_FEED_SEED", seed.isPresent() ? Long.toString(seed.getAsLong()) : "random");
    m.put("PAPERTAPE_FEED_OUT_OF_ORDER_PROBABILITY", Double.toString(c.outOfOrder().probability()));
    m.put("PAPERTAPE_FEED_OUT_OF_ORDER_MAX_DELAY", Durations.format(c.outOfOrder().maxDelay()));
    m.put(SCENARIO, scenario.label());
    return m;
  }

  private static String join(SimulatorConfig c, Function<SymbolSpec, String> value, boolean pairs) {
    return c.symbols().stream()
        .map(sp -> pairs ? sp.symbol() + "=" + value.apply(sp) : value.apply(sp))
        .collect(Collectors.joining(","));
  }
}
