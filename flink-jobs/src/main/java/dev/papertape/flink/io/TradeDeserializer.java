package dev.papertape.flink.io;

import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.TradeCodec;
import dev.papertape.model.UnknownFields;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes {@code trades} records with the shared {@link TradeCodec}. Never throws on bad data: an
 * undecodable record becomes an invalid {@link ParsedRecord} carrying its bytes and the reason, so
 * the job keeps running and nothing is lost. A record without {@code tradeId} gets {@code
 * kafka-<topic>-<partition>-<offset>}, stable across replays, so idempotent writes stay idempotent.
 */
public class TradeDeserializer implements KafkaRecordDeserializationSchema<ParsedRecord> {
  private static final long serialVersionUID = 1L;

  private final TradeCodec codec;

  public TradeDeserializer(UnknownFields unknownFields) {
    this.codec = new TradeCodec(unknownFields);
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedRecord> out) {
    out.collect(
        parse(record.topic(), record.partition(), record.offset(), record.key(), record.value()));
  }

  /** Parses one record's value; the Kafka coordinates name it in ids and dead letters. */
  public ParsedRecord parse(String topic, int partition, long offset, byte[] key, byte[] value) {
    String keyText = key == null ? null : new String(key, StandardCharsets.UTF_8);
    try {
      return ParsedRecord.valid(
          codec.decode(value, TradeCodec.fallbackId(topic, partition, offset)));
    } catch (InvalidRecordException e) {
      return ParsedRecord.invalid(topic, partition, offset, keyText, value, e.getMessage());
    }
  }

  @Override
  public TypeInformation<ParsedRecord> getProducedType() {
    return TypeInformation.of(ParsedRecord.class);
  }
}
