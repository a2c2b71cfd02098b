package dev.papertape.flink.io;

import dev.papertape.model.Trade;

/**
 * What the Kafka source makes of one {@code trades} record: either a valid {@link Trade}, or the
 * raw bytes and the reason they were rejected (routed to the dead-letter topic by {@link
 * RouteInvalidRecords}). A Flink POJO; raw bytes are carried only for rejected records.
 */
public class ParsedRecord {
  public Trade trade;
  public String topic;
  public int partition;
  public long offset;
  public String key;
  public byte[] raw;
  public String error;

  public ParsedRecord() {}

  public static ParsedRecord valid(Trade trade) {
    ParsedRecord r = new ParsedRecord();
    r.trade = trade;
    return r;
  }

  public static ParsedRecord invalid(
      String topic, int partition, long offset, String key, byte[] raw, String error) {
    ParsedRecord r = new ParsedRecord();
    r.topic = topic;
    r.partition = partition;
    r.offset = offset;
    r.key = key;
    r.raw = raw;
    r.error = error;
    return r;
  }

  public boolean isValid() {
    return trade != null;
  }
}
