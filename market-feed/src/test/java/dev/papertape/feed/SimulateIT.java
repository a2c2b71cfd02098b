package dev.papertape.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.feed.cli.Main;
import dev.papertape.feed.sim.GbmSimulator;
import dev.papertape.feed.sim.SimulatorConfig;
import dev.papertape.model.Trade;
import dev.papertape.testing.KafkaTestBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulateIT {
  @Test
  void producesExactlyCountTradesKeyedBySymbolAsTheSeedDictates() throws Exception {
    String topic = KafkaTestBroker.uniqueTopic("sim");
    Instant start = Instant.parse("2026-01-05T14:30:00Z");

    int code =
        Main.run(
            new String[] {
              "simulate",
              "--count",
              "200",
              "--speed",
              "max",
              "--seed",
              "42",
              "--start",
              start.toString()
            },
            FeedTopics.env(topic));

    assertThat(code).isZero();
    List<Trade> produced =
        FeedTopics.decode(KafkaTestBroker.consume(topic, 200, Duration.ofSeconds(30)));
    assertThat(produced).hasSize(200);
    assertThat(FeedTopics.recordCount(topic)).isEqualTo(200);
    assertThat(FeedTopics.partitions(topic)).isEqualTo(4);

    GbmSimulator same = new GbmSimulator(SimulatorConfig.DEFAULT, 42);
    List<Trade> expected = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      expected.add(same.next(start));
    }
    assertThat(FeedTopics.bySymbol(produced))
        .containsOnlyKeys("AAPL", "GOOGL", "MSFT", "TSLA")
        .isEqualTo(FeedTopics.bySymbol(expected));
  }
}
