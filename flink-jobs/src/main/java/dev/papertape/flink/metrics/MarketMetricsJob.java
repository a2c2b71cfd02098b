package dev.papertape.flink.metrics;

import dev.papertape.config.Settings;
import dev.papertape.flink.io.JdbcSinks;
import dev.papertape.flink.io.KafkaSinks;
import dev.papertape.flink.io.LateTrade;
import dev.papertape.flink.io.ParsedRecord;
import dev.papertape.flink.io.RouteInvalidRecords;
import dev.papertape.flink.io.TradeDeserializer;
import dev.papertape.kafka.Topics;
import dev.papertape.model.DeadLetter;
import dev.papertape.model.MetricWindow;
import dev.papertape.model.Trade;
import dev.papertape.model.WindowMetrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The market metrics job: {@code trades} → parse (rejects to {@code trades-dlq}) → event-time
 * watermarks → each trade admitted once (duplicates dropped) → per symbol, tumbling windows of each
 * configured size → OHLC, volume, VWAP, trade count, price range → TimescaleDB ({@code trades},
 * {@code aggregated_metrics}) and Kafka ({@code aggregated-metrics}); trades later than a window's
 * allowed lateness → counted and {@code trades-late}.
 *
 * <p>The graph is {@link #build} over an injected input and injected {@link Sinks}: {@link #main}
 * wires Kafka and JDBC; tests wire the same graph to a bounded source.
 */
public final class MarketMetricsJob {
  private static final Logger LOG = LoggerFactory.getLogger(MarketMetricsJob.class);

  public static final String NAME = "papertape-market-metrics";

  private MarketMetricsJob() {}

  /** Where the job's outputs go. */
  public record Sinks(
      Sink<Trade> rawTrades,
      Sink<String> newSymbols,
      Sink<WindowMetrics> metricsTable,
      Sink<WindowMetrics> metricsTopic,
      Sink<DeadLetter> deadLetters,
      Sink<LateTrade> lateTrades) {

    /** The production sinks: TimescaleDB and Kafka, per the configuration. */
    public static Sinks of(MetricsJobConfig cfg) {
      KafkaSinks.Target kafka = cfg.kafkaTarget();
      JdbcSinks.Target db = cfg.jdbcTarget();
      return new Sinks(
          JdbcSinks.trades(db),
          JdbcSinks.symbols(db, cfg.maxSymbols()),
          JdbcSinks.metrics(db),
          KafkaSinks.metrics(kafka, cfg.metricsTopic()),
          KafkaSinks.deadLetters(kafka, cfg.deadLetterTopic()),
          KafkaSinks.lateTrades(kafka, cfg.lateTopic()));
    }
  }

  /** Event time from the trade's {@code ts}; rejected records never move the watermark. */
  public static WatermarkStrategy<ParsedRecord> watermarks(MetricsJobConfig cfg) {
    return WatermarkStrategy.<ParsedRecord>forBoundedOutOfOrderness(cfg.outOfOrderness())
        .withIdleness(cfg.idleness())
        .withTimestampAssigner(
            (r, kafkaTs) -> r.isValid() ? r.trade.ts().toEpochMilli() : Long.MIN_VALUE);
  }

  /**
   * The Kafka source of {@code trades} (unbounded; tests bound it): starts from the committed
   * offsets of the job's group, else from the earliest; a restore from a checkpoint uses the
   * checkpoint's offsets.
   */
  public static KafkaSourceBuilder<ParsedRecord> source(MetricsJobConfig cfg) {
    return KafkaSource.<ParsedRecord>builder()
        .setBootstrapServers(cfg.kafkaBootstrap())
        .setTopics(cfg.tradesTopic())
        .setGroupId(cfg.consumerGroup())
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setDeserializer(new TradeDeserializer(cfg.unknownFields(), cfg.maxClockSkew()))
        .setProperty("partition.discovery.interval.ms", "30000")
        .setProperty("commit.offsets.on.checkpoint", "true");
  }

  /**
   * Builds the graph over {@code input} (records already carrying event timestamps and watermarks,
   * see {@link #watermarks}).
   */
  public static void build(DataStream<ParsedRecord> input, MetricsJobConfig cfg, Sinks sinks) {
    SingleOutputStreamOperator<Trade> parsed =
        input.process(new RouteInvalidRecords()).uid("route-invalid-records").name("Parse trades");

    SingleOutputStreamOperator<Trade> trades =
        parsed
            .keyBy(Trade::symbol)
            .process(new AdmitTrades(cfg.largestWindow(), cfg.allowedLateness(), cfg.tradesTopic()))
            .uid("admit-trades")
            .name("Admit trades once");

    parsed
        .getSideOutput(RouteInvalidRecords.DEAD_LETTERS)
        .union(trades.getSideOutput(AdmitTrades.REJECTED))
        .sinkTo(sinks.deadLetters())
        .uid("sink-dead-letters")
        .name("Dead letters → " + cfg.deadLetterTopic());

    trades.sinkTo(sinks.rawTrades()).uid("sink-trades-table").name("Trades → TimescaleDB trades");

    trades
        .keyBy(Trade::symbol)
        .process(new RegisterNewSymbols())
        .uid("register-new-symbols")
        .name("New symbols")
        .sinkTo(sinks.newSymbols())
        .uid("sink-symbols-table")
        .name("New symbols → TimescaleDB symbols");

    DataStream<WindowMetrics> metrics = null;
    DataStream<LateTrade> late = null;
    for (MetricWindow w : cfg.windows()) {
      OutputTag<Trade> lateTag = new OutputTag<>("late-" + w.label()) {};
      SingleOutputStreamOperator<WindowMetrics> windowed =
          windowMetrics(trades, w, cfg.allowedLateness(), lateTag);
      DataStream<LateTrade> lateForWindow =
          windowed
              .getSideOutput(lateTag)
              .map(new CountLateTrades(w))
              .uid("count-late-" + w.label())
              .name("Count late trades " + w.label());
      metrics = metrics == null ? windowed : metrics.union(windowed);
      late = late == null ? lateForWindow : late.union(lateForWindow);
    }
    if (metrics == null) {
      throw new IllegalArgumentException("PAPERTAPE_METRICS_WINDOWS names no window");
    }
    metrics
        .sinkTo(sinks.metricsTable())
        .uid("sink-metrics-table")
        .name("Metrics → TimescaleDB aggregated_metrics");
    metrics
        .sinkTo(sinks.metricsTopic())
        .uid("sink-metrics-topic")
        .name("Metrics → " + cfg.metricsTopic());
    late.sinkTo(sinks.lateTrades())
        .uid("sink-late-trades")
        .name("Late trades → " + cfg.lateTopic());
  }

  /**
   * Per symbol, tumbling event-time windows of size {@code w}: incremental aggregation (O(1) state
   * per symbol and window), re-emitted when a trade within {@code allowedLateness} updates a closed
   * window; later trades go to {@code lateTag}.
   */
  public static SingleOutputStreamOperator<WindowMetrics> windowMetrics(
      DataStream<Trade> trades,
      MetricWindow w,
      Duration allowedLateness,
      OutputTag<Trade> lateTag) {
    return trades
        .keyBy(Trade::symbol)
        .window(TumblingEventTimeWindows.of(w.size()))
        .allowedLateness(allowedLateness)
        .sideOutputLateData(lateTag)
        .aggregate(new TradeAggregator(), new EmitWindowMetrics(w))
        .uid("window-metrics-" + w.label())
        .name("Window metrics " + w.label());
  }

  /** Configures checkpointing and wires the job to Kafka and TimescaleDB. */
  public static void wire(StreamExecutionEnvironment env, MetricsJobConfig cfg) {
    wire(env, cfg, source(cfg).build());
  }

  /**
   * As {@link #wire(StreamExecutionEnvironment, MetricsJobConfig)} with any source of parsed
   * records (a bounded Kafka range for the bench, a file for a backtest).
   */
  public static void wire(
      StreamExecutionEnvironment env, MetricsJobConfig cfg, Source<ParsedRecord, ?, ?> source) {
    env.enableCheckpointing(cfg.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
    Configuration strict = new Configuration();
    // every event and state type has a Flink serializer: fail at build time rather than fall back
    // to Kryo
    strict.set(PipelineOptions.GENERIC_TYPES, false);
    env.configure(strict);
    env.setParallelism(cfg.parallelism());
    DataStream<ParsedRecord> input =
        env.fromSource(source, watermarks(cfg), "Kafka " + cfg.tradesTopic()).uid("source-trades");
    build(input, cfg, Sinks.of(cfg));
  }

  /**
   * Entry point for {@code flink run}: settings from the environment, overridable by program
   * arguments {@code KEY=VALUE} (e.g. {@code PAPERTAPE_KAFKA_BOOTSTRAP=kafka:9092}).
   */
  public static void main(String[] args) throws Exception {
    MetricsJobConfig cfg = MetricsJobConfig.from(settings(args));
    LOG.info("starting {}: {}", NAME, cfg.describe());
    Topics.ensure(cfg.kafkaBootstrap(), cfg.topics());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    wire(env, cfg);
    env.execute(NAME);
  }

  /** The environment with {@code KEY=VALUE} arguments laid over it. */
  public static Settings settings(String[] args) {
    Map<String, String> values = new HashMap<>(System.getenv());
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "argument '" + a + "' is not KEY=VALUE (e.g. PAPERTAPE_KAFKA_BOOTSTRAP=kafka:9092)");
      }
      values.put(a.substring(0, eq), a.substring(eq + 1));
    }
    return new Settings(values);
  }
}
