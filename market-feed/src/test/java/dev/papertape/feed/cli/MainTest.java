package dev.papertape.feed.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.feed.app.ExitCodes;
import dev.papertape.feed.kafka.KafkaUnavailableException;
import dev.papertape.feed.replay.InvalidInputFileException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line up to the point where Kafka would be needed. */
class MainTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    CommandLine cl = Main.commandLine(env);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private int run(String... args) {
    return run(Map.of(), args);
  }

  @Test
  void helpListsTheCommandsAndExitCodes() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString())
        .contains("simulate", "replay", "Exit codes:", "3", "Kafka is unavailable");
  }

  @Test
  void subcommandHelpListsTheFlags() {
    assertThat(run("simulate", "--help")).isZero();
    assertThat(out.toString())
        .contains("--count", "--duration", "--seed", "--speed", "--start", "--scenario");
    assertThat(run("replay", "--help")).isZero();
    assertThat(out.toString()).contains("--file", "--format", "--bar-interval", "--speed");
  }

  @Test
  void badUsageExitsWithTwo() {
    assertThat(run("simulate", "--speed", "fast")).isEqualTo(2);
    assertThat(err.toString()).contains("expected max, realtime or a factor like 10x");
    assertThat(run("simulate", "--speed", "10x")).isEqualTo(2);
    assertThat(run("simulate", "--start", "2026-01-05T14:30:00Z")).isEqualTo(2);
    assertThat(err.toString()).contains("--start needs --speed max");
    assertThat(run("simulate", "--count", "0")).isEqualTo(2);
    assertThat(run("simulate", "--duration", "forever")).isEqualTo(2);
    assertThat(run("simulate", "--bogus")).isEqualTo(2);
    assertThat(run("replay")).isEqualTo(2);
    assertThat(run("replay", "--file", "x.csv", "--format", "candles")).isEqualTo(2);
    assertThat(run("replay", "--file", "x.csv", "--bar-interval", "1m")).isEqualTo(2);
    assertThat(err.toString()).contains("--bar-interval needs --format bars");
    assertThat(run("simulate", "--scenario", "crash")).isEqualTo(2);
    assertThat(err.toString())
        .contains("--scenario: 'crash' is not a scenario; accepted: none, demo");
    assertThat(run(Map.of("PAPERTAPE_FEED_SYMBOLS", "AAPL"), "simulate", "--scenario", "demo"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--scenario demo needs TSLA among the simulated symbols");
  }

  @Test
  void badSettingsExitWithTwoNamingTheVariable() {
    assertThat(run(Map.of("PAPERTAPE_FEED_RATE", "lots"), "simulate", "--count", "1")).isEqualTo(2);
    assertThat(err.toString()).contains("PAPERTAPE_FEED_RATE='lots'");
    assertThat(run(Map.of("PAPERTAPE_FEED_SEED", "abc"))).isEqualTo(2);
  }

  @Test
  void aBadFileExitsWithThreeBeforeKafkaIsContacted() throws Exception {
    Path bad = dir.resolve("bad.csv");
    Files.writeString(
        bad, "AAPL,189.42,100,2026-01-05T14:30:00Z\nAAPL,oops,100,2026-01-05T14:30:01Z\n");
    Map<String, String> env = Map.of("PAPERTAPE_KAFKA_BOOTSTRAP", "127.0.0.1:1");

    assertThat(run(env, "replay", "--file", bad.toString())).isEqualTo(3);
    assertThat(err.toString()).contains(bad.toString(), "line 2", "field 'price': 'oops'");
    assertThat(run(env, "replay", "--file", dir.resolve("missing.csv").toString())).isEqualTo(3);
    assertThat(run(env, "replay", "--format", "BARS", "--file", bad.toString())).isEqualTo(3);
    assertThat(err.toString()).contains("expected 7 columns");
  }

  @Test
  void failuresMapToTheDocumentedExitCodes() {
    assertThat(ExitCodes.of(new InvalidInputFileException(dir, 1, "x"))).isEqualTo(3);
    assertThat(ExitCodes.of(new KafkaUnavailableException("down", null))).isEqualTo(4);
    assertThat(ExitCodes.of(new IllegalStateException("bug"))).isEqualTo(1);
  }
}
