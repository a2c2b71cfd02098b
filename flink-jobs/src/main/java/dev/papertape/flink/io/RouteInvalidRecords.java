package dev.papertape.flink.io;

import dev.papertape.model.DeadLetter;
import dev.papertape.model.Trade;
import java.time.Instant;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes valid trades on and sends rejected records to the {@link #DEAD_LETTERS} side output (bound
 * for the dead-letter topic). Counts both ({@code tradesValid}, {@code tradesInvalid}).
 */
public class RouteInvalidRecords extends ProcessFunction<ParsedRecord, Trade> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(RouteInvalidRecords.class);

  public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

  private transient Counter valid;
  private transient Counter invalid;

  @Override
  public void open(org.apache.flink.api.common.functions.OpenContext ctx) {
    valid = getRuntimeContext().getMetricGroup().counter("tradesValid");
    invalid = getRuntimeContext().getMetricGroup().counter("tradesInvalid");
  }

  @Override
  public void processElement(ParsedRecord r, Context ctx, Collector<Trade> out) {
    if (r.isValid()) {
      valid.inc();
      out.collect(r.trade);
      return;
    }
    invalid.inc();
    LOG.warn(
        "rejected record topic={} partition={} offset={} reason=\"{}\": sent to the dead-letter topic",
        r.topic,
        r.partition,
        r.offset,
        r.error);
    ctx.output(
        DEAD_LETTERS,
        new DeadLetter(r.topic, r.partition, r.offset, r.key, r.raw, r.error, Instant.now()));
  }
}
