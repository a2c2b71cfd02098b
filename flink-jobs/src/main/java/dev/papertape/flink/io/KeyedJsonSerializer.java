package dev.papertape.flink.io;

import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes a value to a topic keyed by a string (the symbol, per the data contracts), with the value
 * encoded by a shared codec and optional headers.
 */
public class KeyedJsonSerializer<T> implements KafkaRecordSerializationSchema<T> {
  private static final long serialVersionUID = 1L;

  private final String topic;
  private final SerializableFunction<T, String> key;
  private final SerializableFunction<T, byte[]> value;
  private final SerializableFunction<T, RecordHeaders> headers;

  public KeyedJsonSerializer(
      String topic,
      SerializableFunction<T, String> key,
      SerializableFunction<T, byte[]> value,
      SerializableFunction<T, RecordHeaders> headers) {
    this.topic = topic;
    this.key = key;
    this.value = value;
    this.headers = headers;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      T element, KafkaSinkContext context, Long timestamp) {
    String k = key.apply(element);
    return new ProducerRecord<>(
        topic,
        null,
        null,
        k == null ? null : k.getBytes(StandardCharsets.UTF_8),
        value.apply(element),
        headers == null ? null : headers.apply(element));
  }
}
