package dev.papertape.flink.io;

import dev.papertape.model.DeadLetter;
import dev.papertape.model.Trade;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes valid trades on and sends rejected records to the {@link #DEAD_LETTERS} side output (bound
 * for the dead-letter topic). Counts both ({@code tradesValid}, {@code tradesInvalid}); warns at
 * most once every 10 s (the dead-letter topic, not the log, is the record of each one).
 */
public class RouteInvalidRecords extends ProcessFunction<ParsedRecord, Trade> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(RouteInvalidRecords.class);

  public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

  private transient Counter valid;
  private transient Counter invalid;
  private transient RateLimitedLog warnings;

  @Override
  public void open(OpenContext ctx) {
    valid = getRuntimeContext().getMetricGroup().counter("tradesValid");
    invalid = getRuntimeContext().getMetricGroup().counter("tradesInvalid");
    warnings = new RateLimitedLog(LOG, Duration.ofSeconds(10));
  }

  @Override
  public void processElement(ParsedRecord r, Context ctx, Collector<Trade> out) {
    if (r.isValid()) {
      valid.inc();
      out.collect(r.trade);
      return;
    }
    invalid.inc();
    DeadLetter d = r.rejected;
    warnings.warn(
        "rejected record topic={} partition={} offset={} size={} reason=\"{}\": sent to the"
            + " dead-letter topic",
        d.topic(),
        d.partition(),
        d.offset(),
        d.size(),
        d.error().length() > 200 ? d.error().substring(0, 200) + "…" : d.error());
    ctx.output(DEAD_LETTERS, d);
  }
}
