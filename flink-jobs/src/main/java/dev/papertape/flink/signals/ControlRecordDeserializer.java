package dev.papertape.flink.signals;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads {@code strategy-control} records as they are (key as UTF-8, value bytes or null). */
public class ControlRecordDeserializer implements KafkaRecordDeserializationSchema<ControlRecord> {
  private static final long serialVersionUID = 1L;

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ControlRecord> out) {
    out.collect(
        ControlRecord.of(
            record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
            record.value(),
            record.topic(),
            record.partition(),
            record.offset()));
  }

  @Override
  public TypeInformation<ControlRecord> getProducedType() {
    return TypeInformation.of(ControlRecord.class);
  }
}
