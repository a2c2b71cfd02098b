package dev.papertape.flink.io;

import dev.papertape.model.DeadLetter;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Where a sink sends the rows its target refuses: a dead-letter topic, written synchronously enough
 * that {@link #flush} returning means every letter is stored (so a checkpoint never passes a
 * refused row that is not in the dead-letter topic yet).
 */
public interface DeadLetterChannel extends AutoCloseable {
  void send(DeadLetter letter) throws IOException;

  /** Blocks until every letter sent so far is acknowledged. */
  void flush() throws IOException;

  @Override
  void close();

  /** Opens a channel in the task (the factory is what travels with the job graph). */
  @FunctionalInterface
  interface Factory extends Serializable {
    DeadLetterChannel open();
  }

  /** A Kafka dead-letter topic ({@code acks=all}, idempotent), keyed like the contracts. */
  static Factory kafka(String bootstrap, String topic) {
    return () -> new KafkaChannel(bootstrap, topic);
  }

  /** The Kafka implementation. */
  final class KafkaChannel implements DeadLetterChannel {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final List<Future<RecordMetadata>> pending = new ArrayList<>();

    KafkaChannel(String bootstrap, String topic) {
      this.topic = topic;
      this.producer =
          new KafkaProducer<>(
              Map.of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  bootstrap,
                  ProducerConfig.ACKS_CONFIG,
                  "all",
                  ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                  true,
                  ProducerConfig.CLIENT_ID_CONFIG,
                  "papertape-sink-dlq-" + topic,
                  ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                  ByteArraySerializer.class,
                  ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                  ByteArraySerializer.class));
    }

    @Override
    public void send(DeadLetter letter) {
      byte[] key = letter.key() == null ? null : letter.key().getBytes(StandardCharsets.UTF_8);
      pending.add(producer.send(new ProducerRecord<>(topic, key, letter.encode())));
    }

    @Override
    public void flush() throws IOException {
      producer.flush();
      try {
        for (Future<RecordMetadata> f : pending) {
          f.get(2, TimeUnit.MINUTES);
        }
      } catch (ExecutionException | TimeoutException e) {
        throw new IOException(
            "cannot write to the dead-letter topic " + topic + ": " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while writing to the dead-letter topic " + topic, e);
      } finally {
        pending.clear();
      }
    }

    @Override
    public void close() {
      producer.close();
    }
  }
}
