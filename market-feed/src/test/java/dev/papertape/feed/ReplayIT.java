package dev.papertape.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.feed.cli.Main;
import dev.papertape.feed.replay.BarCsvReader;
import dev.papertape.feed.replay.BarTicks;
import dev.papertape.feed.replay.TradeCsvReader;
import dev.papertape.model.Trade;
import dev.papertape.testing.KafkaTestBroker;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayIT {
  @TempDir Path dir;

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(ReplayIT.class.getResource("/" + name).toURI());
  }

  private static List<Trade> all(TradeSource source) {
    List<Trade> out = new ArrayList<>();
    try (source) {
      for (Trade t = source.next(); t != null; t = source.next()) {
        out.add(t);
      }
    }
    return out;
  }

  @Test
  void aTradesFileArrivesRowForRowInOrderPerSymbol() throws Exception {
    String topic = KafkaTestBroker.uniqueTopic("replay");
    Path file = resource("trades-good.csv");

    int code = Main.run(new String[] {"replay", "--file", file.toString()}, FeedTopics.env(topic));

    assertThat(code).isZero();
    List<Trade> produced =
        FeedTopics.decode(KafkaTestBroker.consume(topic, 6, Duration.ofSeconds(30)));
    assertThat(FeedTopics.recordCount(topic)).isEqualTo(6);
    assertThat(FeedTopics.bySymbol(produced))
        .isEqualTo(FeedTopics.bySymbol(all(new TradeCsvReader(file))));
    assertThat(produced).extracting(Trade::source).containsOnly("csv");
  }

  @Test
  void aBarsFileArrivesAsItsTicks() throws Exception {
    String topic = KafkaTestBroker.uniqueTopic("bars");
    Path file = resource("bars-good.csv");

    int code =
        Main.run(
            new String[] {
              "replay", "--format", "bars", "--bar-interval", "1m", "--file", file.toString()
            },
            FeedTopics.env(topic));

    assertThat(code).isZero();
    List<Trade> produced =
        FeedTopics.decode(KafkaTestBroker.consume(topic, 13, Duration.ofSeconds(30)));
    assertThat(FeedTopics.recordCount(topic)).isEqualTo(13);
    assertThat(FeedTopics.bySymbol(produced))
        .isEqualTo(
            FeedTopics.bySymbol(all(BarTicks.open(file, BarCsvReader.validate(file, null)))));
  }

  @Test
  void aBadFileExitsWithThreeAndProducesNothing() throws Exception {
    String topic = KafkaTestBroker.uniqueTopic("bad");
    KafkaTestBroker.createTopic(topic, 1);

    int code =
        Main.run(
            new String[] {"replay", "--file", resource("trades-bad-size.csv").toString()},
            FeedTopics.env(topic));

    assertThat(code).isEqualTo(3);
    assertThat(FeedTopics.recordCount(topic)).isZero();
  }

  @Test
  void aSpeedFactorPacesTheReplay() throws Exception {
    String topic = KafkaTestBroker.uniqueTopic("paced");
    Path file = dir.resolve("paced.csv");
    Files.writeString(
        file,
        "AAPL,190,1,2026-01-05T14:30:00Z\nAAPL,190.01,1,2026-01-05T14:30:01Z\n"
            + "AAPL,190.02,1,2026-01-05T14:30:02Z\n");

    long start = System.nanoTime();
    int code =
        Main.run(
            new String[] {"replay", "--speed", "4x", "--file", file.toString()},
            FeedTopics.env(topic));
    double seconds = (System.nanoTime() - start) / 1e9;

    assertThat(code).isZero();
    assertThat(seconds).isGreaterThanOrEqualTo(0.5);
    assertThat(FeedTopics.decode(KafkaTestBroker.consume(topic, 3, Duration.ofSeconds(30))))
        .extracting(t -> t.ts().toString())
        .containsExactly("2026-01-05T14:30:00Z", "2026-01-05T14:30:01Z", "2026-01-05T14:30:02Z");
  }
}
