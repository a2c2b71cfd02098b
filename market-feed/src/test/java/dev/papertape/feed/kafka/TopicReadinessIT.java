package dev.papertape.feed.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.feed.FeedStatus;
import dev.papertape.feed.sim.GbmSimulator;
import dev.papertape.feed.sim.SimulatorConfig;
import dev.papertape.kafka.TopicSpec;
import dev.papertape.kafka.Topics;
import dev.papertape.testing.KafkaTestBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Topics.ensure returns only once every partition's leader serves requests: an idempotent producer
 * started right after it delivers everything (it used to get stuck on
 * OUT_OF_ORDER_SEQUENCE_NUMBER).
 */
class TopicReadinessIT {
  @Test
  void anIdempotentProducerStartedRightAfterCreationDeliversEverything() {
    String bootstrap = KafkaTestBroker.bootstrap();
    for (int i = 0; i < 5; i++) {
      String topic = KafkaTestBroker.uniqueTopic("ready");
      Topics.ensure(bootstrap, List.of(new TopicSpec(topic, 4, Topics.retainedFor(1))));

      FeedStatus status = new FeedStatus("test");
      TradeProducer producer = new TradeProducer(bootstrap, topic, status);
      GbmSimulator sim = new GbmSimulator(SimulatorConfig.DEFAULT, i);
      for (int k = 0; k < 2_000; k++) {
        producer.send(sim.next(Instant.parse("2026-01-05T14:30:00Z")));
      }
      producer.close(Duration.ofSeconds(30));

      assertThat(status.lastError()).isNull();
      assertThat(status.produced()).isEqualTo(2_000);
    }
  }
}
