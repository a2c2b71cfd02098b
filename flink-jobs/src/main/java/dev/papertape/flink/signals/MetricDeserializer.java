package dev.papertape.flink.signals;

import dev.papertape.model.DeadLetter;
import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.Timestamps;
import dev.papertape.model.UnknownFields;
import dev.papertape.model.WindowMetrics;
import dev.papertape.model.WindowMetricsCodec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes {@code aggregated-metrics} records with the shared {@link WindowMetricsCodec}. Total: any
 * bytes become a valid {@link ParsedMetric} or an invalid one with a bounded {@link DeadLetter}
 * (stage {@code decode}). A window ending more than {@code maxClockSkew} ahead of the processing
 * time is rejected too: it would drag the event-time watermark of the pattern strategies.
 */
public class MetricDeserializer implements KafkaRecordDeserializationSchema<ParsedMetric> {
  private static final long serialVersionUID = 1L;

  private final WindowMetricsCodec codec;
  private final Duration maxClockSkew;
  private final Clock clock;

  public MetricDeserializer(UnknownFields unknownFields, Duration maxClockSkew, Clock clock) {
    this.codec = new WindowMetricsCodec(unknownFields);
    this.maxClockSkew = maxClockSkew;
    this.clock = clock;
  }

  public MetricDeserializer(UnknownFields unknownFields, Duration maxClockSkew) {
    this(unknownFields, maxClockSkew, Clock.systemUTC());
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedMetric> out) {
    out.collect(
        parse(record.topic(), record.partition(), record.offset(), record.key(), record.value()));
  }

  /** Parses one record's value; the Kafka coordinates name it in dead letters. */
  public ParsedMetric parse(String topic, int partition, long offset, byte[] key, byte[] value) {
    Instant now = clock.instant();
    String reason;
    try {
      WindowMetrics m = codec.decode(value);
      if (!m.windowEnd().isAfter(now.plus(maxClockSkew))) {
        return ParsedMetric.valid(m);
      }
      reason =
          "field 'windowEnd': "
              + Timestamps.format(m.windowEnd())
              + " is more than "
              + maxClockSkew
              + " ahead of the processing time "
              + Timestamps.format(now)
              + " (PAPERTAPE_MAX_CLOCK_SKEW); metrics from the future are not accepted";
    } catch (InvalidRecordException e) {
      reason = e.getMessage();
    } catch (RuntimeException e) {
      // the codec is total by contract; should a bug break that, the record still goes to the DLQ
      reason = "unreadable record (" + e.getClass().getName() + ")";
    }
    String keyText = key == null ? null : new String(key, StandardCharsets.UTF_8);
    return ParsedMetric.invalid(
        DeadLetter.of(topic, partition, offset, keyText, value, DeadLetter.DECODE, reason, now));
  }

  @Override
  public TypeInformation<ParsedMetric> getProducedType() {
    return TypeInformation.of(ParsedMetric.class);
  }
}
