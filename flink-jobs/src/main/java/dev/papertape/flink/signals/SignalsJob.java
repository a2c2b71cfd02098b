package dev.papertape.flink.signals;

import dev.papertape.flink.io.JdbcSinks;
import dev.papertape.flink.io.KafkaSinks;
import dev.papertape.flink.metrics.MarketMetricsJob;
import dev.papertape.kafka.Topics;
import dev.papertape.model.DeadLetter;
import dev.papertape.model.Signal;
import dev.papertape.model.WindowMetrics;
import dev.papertape.strategy.ControlEventCodec;
import java.time.Clock;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signals job: {@code aggregated-metrics} → parse (rejects to {@code aggregated-metrics-dlq}) →
 * keyed by symbol, connected with the broadcast {@code strategy-control} topic (compacted; read
 * from its earliest offset, so a fresh start rebuilds every active instance and rule) → each active
 * strategy instance and alert rule steps over its checkpointed per-symbol state ({@link
 * RunStrategies}; invalid control events to {@code strategy-control-dlq}) → signals, together with
 * those of the built-in CEP pattern ({@link PriceDrop}) → Kafka {@code price-alerts} (keyed by
 * symbol) and the TimescaleDB {@code signals} hypertable (once per signal id).
 *
 * <p>The graph is {@link #build} over injected inputs and {@link Sinks}: {@link #main} wires Kafka
 * and JDBC, tests wire collections and collecting sinks.
 */
public final class SignalsJob {
  private static final Logger LOG = LoggerFactory.getLogger(SignalsJob.class);

  public static final String NAME = "papertape-signals";

  private SignalsJob() {}

  /** Where the job's outputs go. */
  public record Sinks(
      Sink<Signal> signalsTable,
      Sink<Signal> signalsTopic,
      Sink<DeadLetter> metricDeadLetters,
      Sink<DeadLetter> controlDeadLetters) {

    /** The production sinks: TimescaleDB and Kafka, per the configuration. */
    public static Sinks of(SignalsJobConfig cfg) {
      KafkaSinks.Target kafka = cfg.kafkaTarget();
      return new Sinks(
          JdbcSinks.signals(cfg.jdbcTarget()),
          KafkaSinks.signals(kafka, cfg.signalsTopic()),
          KafkaSinks.deadLetters(kafka, cfg.metricsDeadLetterTopic()),
          KafkaSinks.deadLetters(
              new KafkaSinks.Target(
                  kafka.bootstrap(), kafka.guarantee(), kafka.transactionalIdPrefix() + "-control"),
              cfg.controlDeadLetterTopic()));
    }
  }

  /**
   * Event time of a metric is its window's end; rejected records never move the watermark. Only the
   * CEP pattern uses event time; the strategies order by window end themselves.
   */
  public static WatermarkStrategy<ParsedMetric> watermarks(SignalsJobConfig cfg) {
    return WatermarkStrategy.<ParsedMetric>forBoundedOutOfOrderness(cfg.outOfOrderness())
        .withIdleness(cfg.idleness())
        .withTimestampAssigner(
            (r, kafkaTs) -> r.isValid() ? r.metric.windowEnd().toEpochMilli() : Long.MIN_VALUE);
  }

  /** The metrics: from the committed offsets of the job's group, else the earliest. */
  public static KafkaSourceBuilder<ParsedMetric> metricsSource(SignalsJobConfig cfg) {
    return KafkaSource.<ParsedMetric>builder()
        .setBootstrapServers(cfg.kafkaBootstrap())
        .setTopics(cfg.metricsTopic())
        .setGroupId(cfg.consumerGroup())
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setDeserializer(new MetricDeserializer(cfg.unknownFields(), cfg.maxClockSkew()))
        .setProperty("partition.discovery.interval.ms", "30000")
        .setProperty("commit.offsets.on.checkpoint", "true");
  }

  /**
   * The control events: always from the earliest offset of the compacted topic (a restore from a
   * checkpoint continues from the checkpoint's offsets, together with the broadcast state).
   */
  public static KafkaSourceBuilder<ControlRecord> controlSource(SignalsJobConfig cfg) {
    return KafkaSource.<ControlRecord>builder()
        .setBootstrapServers(cfg.kafkaBootstrap())
        .setTopics(cfg.controlTopic())
        .setGroupId(cfg.consumerGroup() + "-control")
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setDeserializer(new ControlRecordDeserializer())
        .setProperty("partition.discovery.interval.ms", "30000")
        .setProperty("commit.offsets.on.checkpoint", "false");
  }

  /** The broadcast operator of the graph, for tests that drive it in a harness. */
  public static RunStrategies runStrategies(SignalsJobConfig cfg) {
    return new RunStrategies(new ControlEventCodec(cfg.unknownFields()), Clock.systemUTC());
  }

  /**
   * Builds the graph over {@code input} (metrics with event timestamps and watermarks, see {@link
   * #watermarks}) and {@code control} (the control topic's records).
   */
  public static void build(
      DataStream<ParsedMetric> input,
      DataStream<ControlRecord> control,
      SignalsJobConfig cfg,
      Sinks sinks) {
    build(input, control, cfg, sinks, runStrategies(cfg));
  }

  /**
   * As {@link #build(DataStream, DataStream, SignalsJobConfig, Sinks)} with a given broadcast
   * operator (a backtest's, with its activation as initial control events).
   */
  public static void build(
      DataStream<ParsedMetric> input,
      DataStream<ControlRecord> control,
      SignalsJobConfig cfg,
      Sinks sinks,
      RunStrategies runStrategies) {
    SingleOutputStreamOperator<WindowMetrics> metrics =
        input.process(new RouteInvalidMetrics()).uid("route-invalid-metrics").name("Parse metrics");
    metrics
        .getSideOutput(RouteInvalidMetrics.DEAD_LETTERS)
        .sinkTo(sinks.metricDeadLetters())
        .uid("sink-metric-dead-letters")
        .name("Dead letters → " + cfg.metricsDeadLetterTopic());

    BroadcastStream<ControlRecord> broadcast =
        control.broadcast(new MapStateDescriptor<?, ?>[] {RunStrategies.CONTROL});
    SingleOutputStreamOperator<Signal> strategies =
        metrics
            .keyBy(WindowMetrics::symbol)
            .connect(broadcast)
            .process(runStrategies)
            .uid("run-strategies")
            .name("Strategies and alert rules");
    strategies
        .getSideOutput(RunStrategies.DEAD_LETTERS)
        .sinkTo(sinks.controlDeadLetters())
        .uid("sink-control-dead-letters")
        .name("Dead letters → " + cfg.controlDeadLetterTopic());

    DataStream<Signal> signals =
        cfg.priceDrop() == null
            ? strategies
            : strategies.union(PriceDrop.signals(metrics, cfg.priceDrop()));
    signals
        .sinkTo(sinks.signalsTable())
        .uid("sink-signals-table")
        .name("Signals → TimescaleDB signals");
    signals
        .sinkTo(sinks.signalsTopic())
        .uid("sink-signals-topic")
        .name("Signals → " + cfg.signalsTopic());
  }

  /** Configures checkpointing and wires the job to Kafka and TimescaleDB. */
  public static void wire(StreamExecutionEnvironment env, SignalsJobConfig cfg) {
    wire(env, cfg, metricsSource(cfg).build(), controlSource(cfg).build());
  }

  /** As {@link #wire(StreamExecutionEnvironment, SignalsJobConfig)} with any sources. */
  public static void wire(
      StreamExecutionEnvironment env,
      SignalsJobConfig cfg,
      Source<ParsedMetric, ?, ?> metrics,
      Source<ControlRecord, ?, ?> control) {
    env.enableCheckpointing(cfg.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
    Configuration strict = new Configuration();
    // every event and state type has a Flink serializer: fail at build time, never Kryo
    strict.set(PipelineOptions.GENERIC_TYPES, false);
    env.configure(strict);
    env.setParallelism(cfg.parallelism());
    DataStream<ParsedMetric> input =
        env.fromSource(metrics, watermarks(cfg), "Kafka " + cfg.metricsTopic())
            .uid("source-metrics");
    DataStream<ControlRecord> controlRecords =
        env.fromSource(control, WatermarkStrategy.noWatermarks(), "Kafka " + cfg.controlTopic())
            .uid("source-strategy-control");
    build(input, controlRecords, cfg, Sinks.of(cfg));
  }

  /**
   * Entry point for {@code flink run -c dev.papertape.flink.signals.SignalsJob}: settings from the
   * environment, overridable by program arguments {@code KEY=VALUE}.
   */
  public static void main(String[] args) throws Exception {
    SignalsJobConfig cfg = SignalsJobConfig.from(MarketMetricsJob.settings(args));
    LOG.info("starting {}: {}", NAME, cfg.describe());
    Topics.ensure(cfg.kafkaBootstrap(), cfg.topics());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    wire(env, cfg);
    env.execute(NAME);
  }
}
