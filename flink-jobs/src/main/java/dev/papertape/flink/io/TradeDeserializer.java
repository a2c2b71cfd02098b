package dev.papertape.flink.io;

import dev.papertape.model.DeadLetter;
import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.Timestamps;
import dev.papertape.model.Trade;
import dev.papertape.model.TradeCodec;
import dev.papertape.model.UnknownFields;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes {@code trades} records with the shared {@link TradeCodec}. Total: any bytes become a
 * valid {@link ParsedRecord} or an invalid one carrying a bounded {@link DeadLetter} with the
 * reason, so the job keeps running and nothing is lost. A trade dated more than {@code
 * maxClockSkew} ahead of the processing time is rejected too: it would drag the watermark (and the
 * latest price) into the future. A record without {@code tradeId} gets {@code
 * kafka-<topic>-<partition>-<offset>}, stable across replays, so idempotent writes stay idempotent.
 */
public class TradeDeserializer implements KafkaRecordDeserializationSchema<ParsedRecord> {
  private static final long serialVersionUID = 1L;

  private final TradeCodec codec;
  private final Duration maxClockSkew;
  private final Clock clock;

  public TradeDeserializer(UnknownFields unknownFields, Duration maxClockSkew, Clock clock) {
    this.codec = new TradeCodec(unknownFields);
    this.maxClockSkew = maxClockSkew;
    this.clock = clock;
  }

  public TradeDeserializer(UnknownFields unknownFields, Duration maxClockSkew) {
    this(unknownFields, maxClockSkew, Clock.systemUTC());
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedRecord> out) {
    out.collect(
        parse(record.topic(), record.partition(), record.offset(), record.key(), record.value()));
  }

  /** Parses one record's value; the Kafka coordinates name it in ids and dead letters. */
  public ParsedRecord parse(String topic, int partition, long offset, byte[] key, byte[] value) {
    Instant now = clock.instant();
    String reason;
    try {
      Trade t = codec.decode(value, TradeCodec.fallbackId(topic, partition, offset));
      if (!t.ts().isAfter(now.plus(maxClockSkew))) {
        return ParsedRecord.valid(t);
      }
      reason =
          "field 'ts': "
              + Timestamps.format(t.ts())
              + " is more than "
              + maxClockSkew
              + " ahead of the processing time "
              + Timestamps.format(now)
              + " (PAPERTAPE_MAX_CLOCK_SKEW); trades from the future are not accepted";
    } catch (InvalidRecordException e) {
      reason = e.getMessage();
    } catch (RuntimeException e) {
      // the codec is total by contract; should a bug break that, the record still goes to the DLQ
      reason = "unreadable record (" + e.getClass().getName() + ")";
    }
    String keyText = key == null ? null : new String(key, StandardCharsets.UTF_8);
    return ParsedRecord.invalid(
        DeadLetter.of(topic, partition, offset, keyText, value, DeadLetter.DECODE, reason, now));
  }

  @Override
  public TypeInformation<ParsedRecord> getProducedType() {
    return TypeInformation.of(ParsedRecord.class);
  }
}
