package dev.papertape.backtest;

import dev.papertape.flink.io.LateTrade;
import dev.papertape.flink.io.ParsedRecord;
import dev.papertape.flink.io.RouteInvalidRecords;
import dev.papertape.flink.metrics.AdmitTrades;
import dev.papertape.flink.metrics.CountLateTrades;
import dev.papertape.flink.metrics.MarketMetricsJob;
import dev.papertape.flink.metrics.MetricsJobConfig;
import dev.papertape.flink.signals.ControlRecord;
import dev.papertape.flink.signals.ParsedMetric;
import dev.papertape.flink.signals.RunStrategies;
import dev.papertape.flink.signals.SignalsJob;
import dev.papertape.flink.signals.SignalsJobConfig;
import dev.papertape.model.DeadLetter;
import dev.papertape.model.MetricWindow;
import dev.papertape.model.Signal;
import dev.papertape.model.Trade;
import dev.papertape.model.WindowMetrics;
import dev.papertape.strategy.ControlEventCodec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.OutputTag;

/**
 * The backtest's job: the live graph on a file.
 *
 * <pre>
 * CSV file (TradeFileSource, the metrics job's watermarks)
 *   → the metrics job's operators: parse (RouteInvalidRecords) → admit each trade once (AdmitTrades)
 *     → window metrics of each size the strategy needs (MarketMetricsJob.windowMetrics)
 *   → as the signals job reads aggregated-metrics (ParsedMetric, the signals job's watermarks)
 *   → the signals job's graph (SignalsJob.build): RunStrategies with the activation as an initial
 *     control event (in effect before the first metric) and no control stream, the price-drop
 *     pattern when it is the strategy
 *   → signals, counted and kept in this JVM
 * </pre>
 *
 * Only the window sizes the strategy reads are computed (an instance ignores the others, so its
 * signals are the same); duplicate trades are remembered as long as the live job's largest window
 * makes them, so the same trades are admitted.
 */
final class BacktestGraph {
  /** What the job's sinks hold after it ran. */
  record Outputs(
      CollectSink<Signal> signals,
      CollectSink<WindowMetrics> metrics,
      CollectSink<DeadLetter> rejected,
      CollectSink<LateTrade> late,
      List<CollectSink<?>> unread) {
    void release() {
      signals.release();
      metrics.release();
      rejected.release();
      late.release();
      unread.forEach(CollectSink::release);
    }
  }

  private BacktestGraph() {}

  /**
   * @param dedupFor how long the live job remembers trade ids (its largest window)
   * @param counted the window size whose metrics are counted (the strategy's)
   */
  static Outputs build(
      StreamExecutionEnvironment env,
      TradeFile file,
      MetricsJobConfig mcfg,
      Duration dedupFor,
      SignalsJobConfig scfg,
      List<ControlRecord> initialControl,
      Set<MetricWindow> windows,
      MetricWindow counted) {
    Configuration strict = new Configuration();
    strict.set(PipelineOptions.GENERIC_TYPES, false);
    env.configure(strict);
    env.setParallelism(1);

    // the signals job's other sinks: the signals once more (its topic) and its dead letters
    CollectSink<Signal> topic = CollectSink.counting();
    CollectSink<DeadLetter> metricDeadLetters = CollectSink.counting();
    CollectSink<DeadLetter> controlDeadLetters = CollectSink.counting();
    Outputs out =
        new Outputs(
            CollectSink.keeping(),
            CollectSink.counting(),
            CollectSink.counting(),
            CollectSink.counting(),
            List.of(topic, metricDeadLetters, controlDeadLetters));

    DataStream<ParsedRecord> input =
        env.fromSource(
                new TradeFileSource(file),
                MarketMetricsJob.watermarks(mcfg),
                "CSV " + file.path().getFileName())
            .uid("source-trades");
    SingleOutputStreamOperator<Trade> parsed =
        input.process(new RouteInvalidRecords()).uid("route-invalid-records").name("Parse trades");
    SingleOutputStreamOperator<Trade> trades =
        parsed
            .keyBy(Trade::symbol)
            .process(new AdmitTrades(dedupFor, mcfg.allowedLateness(), "csv"))
            .uid("admit-trades")
            .name("Admit trades once");
    parsed
        .getSideOutput(RouteInvalidRecords.DEAD_LETTERS)
        .union(trades.getSideOutput(AdmitTrades.REJECTED))
        .sinkTo(out.rejected())
        .uid("sink-rejected")
        .name("Rejected trades (counted)");

    DataStream<WindowMetrics> metrics = null;
    for (MetricWindow w : windows) {
      OutputTag<Trade> lateTag = new OutputTag<>("late-" + w.label()) {};
      SingleOutputStreamOperator<WindowMetrics> windowed =
          MarketMetricsJob.windowMetrics(trades, w, mcfg.allowedLateness(), lateTag);
      windowed
          .getSideOutput(lateTag)
          .map(new CountLateTrades(w))
          .uid("count-late-" + w.label())
          .name("Count late trades " + w.label())
          .sinkTo(out.late())
          .uid("sink-late-" + w.label())
          .name("Late trades " + w.label() + " (counted)");
      metrics = metrics == null ? windowed : metrics.union(windowed);
    }
    metrics
        .filter(m -> m.window() == counted)
        .uid("metrics-of-" + counted.label())
        .name("Metrics " + counted.label())
        .sinkTo(out.metrics())
        .uid("sink-metrics")
        .name("Metrics (counted)");

    DataStream<ParsedMetric> asRead =
        metrics
            .map(ParsedMetric::valid)
            .uid("as-aggregated-metrics")
            .name("As read from aggregated-metrics")
            .assignTimestampsAndWatermarks(SignalsJob.watermarks(scfg))
            .uid("metrics-watermarks")
            .name("Metric event time");
    // no control stream: the activation is an initial control event of RunStrategies, in effect
    // before the first metric. (Flink's fromData refuses an empty collection: one placeholder,
    // dropped at once.)
    DataStream<ControlRecord> noControl =
        env.fromData(
                List.of(ControlRecord.of("none", null, "backtest", 0, 0)),
                TypeInformation.of(ControlRecord.class))
            .uid("source-no-control")
            .filter(r -> false)
            .uid("no-control")
            .name("No control events");
    RunStrategies run =
        new RunStrategies(
            new ControlEventCodec(scfg.unknownFields()), Clock.systemUTC(), initialControl);
    SignalsJob.build(
        asRead,
        noControl,
        scfg,
        new SignalsJob.Sinks(out.signals(), topic, metricDeadLetters, controlDeadLetters),
        run);
    return out;
  }
}
