package dev.papertape.flink.signals;

import dev.papertape.flink.io.RateLimitedLog;
import dev.papertape.model.DeadLetter;
import dev.papertape.model.WindowMetrics;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes valid metrics on and sends rejected records to the {@link #DEAD_LETTERS} side output
 * (bound for the metrics dead-letter topic). Counts both ({@code metricsValid}, {@code
 * metricsInvalid}); warns at most once every 10 s.
 */
public class RouteInvalidMetrics extends ProcessFunction<ParsedMetric, WindowMetrics> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(RouteInvalidMetrics.class);

  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("metric-dead-letters") {};

  private transient Counter valid;
  private transient Counter invalid;
  private transient RateLimitedLog warnings;

  @Override
  public void open(OpenContext ctx) {
    valid = getRuntimeContext().getMetricGroup().counter("metricsValid");
    invalid = getRuntimeContext().getMetricGroup().counter("metricsInvalid");
    warnings = new RateLimitedLog(LOG, Duration.ofSeconds(10));
  }

  @Override
  public void processElement(ParsedMetric r, Context ctx, Collector<WindowMetrics> out) {
    if (r.isValid()) {
      valid.inc();
      out.collect(r.metric);
      return;
    }
    invalid.inc();
    DeadLetter d = r.rejected;
    warnings.warn(
        "rejected metric topic={} partition={} offset={} reason=\"{}\": sent to the dead-letter"
            + " topic",
        d.topic(),
        d.partition(),
        d.offset(),
        d.error().length() > 200 ? d.error().substring(0, 200) + "…" : d.error());
    ctx.output(DEAD_LETTERS, d);
  }
}
