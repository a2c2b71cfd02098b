package dev.papertape.flink.signals;

/**
 * One record of the compacted {@code strategy-control} topic as read, not yet decoded: its key, its
 * value ({@code null} for a tombstone) and its coordinates (for a dead letter). {@link
 * RunStrategies} decodes it with {@link dev.papertape.strategy.ControlEventCodec}, so a bad event
 * becomes a dead letter there and changes nothing. A Flink POJO (the decoded events are sealed
 * records Flink would hand to Kryo).
 */
public class ControlRecord {
  public String key;
  public byte[] value;
  public String topic;
  public int partition;
  public long offset;

  public ControlRecord() {}

  public static ControlRecord of(
      String key, byte[] value, String topic, int partition, long offset) {
    ControlRecord r = new ControlRecord();
    r.key = key;
    r.value = value;
    r.topic = topic;
    r.partition = partition;
    r.offset = offset;
    return r;
  }
}
