package dev.papertape.api.stream;

import dev.papertape.api.market.LatestPrices;
import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.Signal;
import dev.papertape.model.SignalCodec;
import dev.papertape.model.Trade;
import dev.papertape.model.TradeCodec;
import dev.papertape.model.UnknownFields;
import dev.papertape.model.WindowMetrics;
import dev.papertape.model.WindowMetricsCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one Kafka record of a channel into a published event, and is total: whatever the bytes, the
 * record is published, or counted ({@code papertape_stream_records_invalid_total}, by reason) and
 * skipped. No exception leaves {@link #handle}, so one record can never stop a channel. The record
 * is validated with the shared codec and re-encoded in the canonical contract form; on {@code
 * trades} it also feeds {@link LatestPrices}, and a trade from the future is skipped.
 *
 * <p>Skips are logged at WARN at most once per {@link #WARN_INTERVAL} per channel, with the
 * record's coordinates and the kind of problem but never its bytes (they stay on the topic, and the
 * pipeline's dead-letter topic has them with the reason). Used by one consumer thread at a time.
 */
final class RecordPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(RecordPublisher.class);

  /** At most one warning per channel in this time. */
  static final Duration WARN_INTERVAL = Duration.ofSeconds(10);

  /** A readable record: the symbol clients filter on, its canonical JSON, the trade if one. */
  record Decoded(String symbol, String json, Trade trade) {}

  /** Reads one record; throws {@link InvalidRecordException} (or anything) when it cannot. */
  @FunctionalInterface
  interface Decoder {
    Decoded decode(ConsumerRecord<byte[], byte[]> r);
  }

  private final Channel channel;
  private final Decoder decoder;
  private final StreamHub hub;
  private final StreamMetrics metrics;
  private final LatestPrices prices;
  private final LongSupplier nanoTime;
  private long lastWarning;
  private boolean warned;
  private long suppressed;
  private long warnings;

  RecordPublisher(Channel channel, StreamHub hub, StreamMetrics metrics, LatestPrices prices) {
    this(channel, decoder(channel), hub, metrics, prices, System::nanoTime);
  }

  /** For tests: another decoder, another clock for the warning rate. */
  RecordPublisher(
      Channel channel,
      Decoder decoder,
      StreamHub hub,
      StreamMetrics metrics,
      LatestPrices prices,
      LongSupplier nanoTime) {
    this.channel = channel;
    this.decoder = decoder;
    this.hub = hub;
    this.metrics = metrics;
    this.prices = prices;
    this.nanoTime = nanoTime;
  }

  /** The shared codec of the channel's contract, ignoring unknown fields (newer producers). */
  static Decoder decoder(Channel c) {
    return switch (c) {
      case TRADES -> {
        TradeCodec codec = new TradeCodec(UnknownFields.IGNORE);
        yield r -> {
          Trade t =
              codec.decode(r.value(), TradeCodec.fallbackId(r.topic(), r.partition(), r.offset()));
          return new Decoded(t.symbol(), utf8(codec.encode(t)), t);
        };
      }
      case METRICS -> {
        WindowMetricsCodec codec = new WindowMetricsCodec(UnknownFields.IGNORE);
        yield r -> {
          WindowMetrics m = codec.decode(r.value());
          return new Decoded(m.symbol(), utf8(codec.encode(m)), null);
        };
      }
      case SIGNALS -> {
        SignalCodec codec = new SignalCodec(UnknownFields.IGNORE);
        yield r -> {
          Signal s = codec.decode(r.value());
          return new Decoded(s.symbol(), utf8(codec.encode(s)), null);
        };
      }
    };
  }

  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /**
   * Publishes the record, or counts and skips it.
   *
   * @return whether it was published
   */
  boolean handle(ConsumerRecord<byte[], byte[]> r) {
    String reason;
    String problem;
    try {
      Decoded d = decoder.decode(r);
      if (d.trade() == null || prices.update(d.trade())) {
        hub.publish(channel, d.symbol(), d.json());
        return true;
      }
      reason = "future";
      problem = "trade dated more than PAPERTAPE_MAX_CLOCK_SKEW ahead";
    } catch (InvalidRecordException e) {
      reason = "invalid";
      // the message may quote the input: only the field is logged
      problem =
          e.field() != null && e.field().matches("[A-Za-z]{1,40}")
              ? "invalid field '" + e.field() + "'"
              : "unreadable record";
    } catch (RuntimeException | StackOverflowError e) {
      reason = "error";
      problem = e.getClass().getName();
    }
    skipped(r, reason, problem);
    return false;
  }

  private void skipped(ConsumerRecord<byte[], byte[]> r, String reason, String problem) {
    metrics.invalid(channel, reason);
    long now = nanoTime.getAsLong();
    if (warned && now - lastWarning < WARN_INTERVAL.toNanos()) {
      suppressed++;
      return;
    }
    LOG.warn(
        "channel {}: skipped record {}-{}@{} ({}); {} more skipped since the previous warning"
            + " (papertape_stream_records_invalid_total)",
        channel.label(),
        r.topic(),
        r.partition(),
        r.offset(),
        problem,
        suppressed);
    warned = true;
    lastWarning = now;
    suppressed = 0;
    warnings++;
  }

  /** Warnings logged so far. */
  long warnings() {
    return warnings;
  }
}
