package dev.papertape.flink.io;

import dev.papertape.model.DeadLetter;
import dev.papertape.model.Trade;

/**
 * What the Kafka source makes of one {@code trades} record: either a valid {@link Trade}, or the
 * {@link DeadLetter} saying why it was rejected (bounded: at most {@value DeadLetter#MAX_RAW_BYTES}
 * bytes of the record travel on), routed to the dead-letter topic by {@link RouteInvalidRecords}. A
 * Flink POJO.
 */
public class ParsedRecord {
  public Trade trade;
  public DeadLetter rejected;

  public ParsedRecord() {}

  public static ParsedRecord valid(Trade trade) {
    ParsedRecord r = new ParsedRecord();
    r.trade = trade;
    return r;
  }

  public static ParsedRecord invalid(DeadLetter rejected) {
    ParsedRecord r = new ParsedRecord();
    r.rejected = rejected;
    return r;
  }

  public boolean isValid() {
    return trade != null;
  }
}
