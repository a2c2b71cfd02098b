package dev.papertape.feed.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class TradeProducerTest {
  @Test
  void producesIdempotentlyInCompressedBatches() {
    Properties p = TradeProducer.properties("broker:9092");

    assertThat(p)
        .containsEntry("bootstrap.servers", "broker:9092")
        .containsEntry("enable.idempotence", "true")
        .containsEntry("acks", "all")
        .containsEntry("linger.ms", "5")
        .containsEntry("compression.type", "lz4")
        .containsEntry("max.in.flight.requests.per.connection", "5");
  }
}
