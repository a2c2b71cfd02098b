package dev.papertape.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.papertape.testing.KafkaTestBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar, run as users run it: {@code java -jar papertape-market-feed.jar}. */
class JarIT {
  private static final Path JAR = Path.of(System.getProperty("papertape.feed.jar"));
  private static final Path SAMPLES = Path.of(System.getProperty("papertape.feed.samples"));
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private Process start(Map<String, String> env, Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  private static String read(Path log) throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  @Test
  void helpRunsFromTheJar() throws Exception {
    Path log = dir.resolve("help.log");
    Process p = start(Map.of(), log, "--help");

    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(read(log)).contains("Usage: papertape-market-feed", "simulate", "replay");
  }

  @Test
  void theSampleReplaysFromTheJarWithJsonLogs() throws Exception {
    String topic = KafkaTestBroker.uniqueTopic("jar");
    Path log = dir.resolve("replay.log");
    Process p =
        start(
            FeedTopics.env(topic),
            log,
            "replay",
            "--file",
            SAMPLES.resolve("aapl-trades.csv").toString());

    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = read(log);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(FeedTopics.recordCount(topic)).isEqualTo(20);
    List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).isNotEmpty();
    for (String line : lines) {
      JsonNode event = JSON.readTree(line);
      assertThat(event.has("@timestamp") && event.has("log.level") && event.has("message"))
          .as(line)
          .isTrue();
    }
    assertThat(out).contains("\"service.name\":\"papertape-market-feed\"", "20 acknowledged");
  }

  @Test
  void withoutArgumentsItSimulatesFromTheEnvironmentUntilSigterm() throws Exception {
    String topic = KafkaTestBroker.uniqueTopic("sigterm");
    Map<String, String> env = FeedTopics.env(topic);
    env.put("PAPERTAPE_FEED_RATE", "50");
    env.put("PAPERTAPE_FEED_SEED", "7");
    Path log = dir.resolve("simulate.log");
    Process p = start(env, log);

    await().atMost(Duration.ofSeconds(60)).until(() -> FeedTopics.topicHas(topic, 20));
    p.destroy(); // SIGTERM

    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    String out = read(log);
    assertThat(p.exitValue()).as(out).isEqualTo(143);
    assertThat(out).contains("simulating at speed realtime", "seed 7", "SIGTERM: stopping");
    JsonNode summary =
        out.lines()
            .map(JarIT::json)
            .filter(e -> e.path("message").asText().startsWith("sent "))
            .findFirst()
            .orElseThrow();
    String[] words = summary.get("message").asText().split(" ");
    assertThat(words[1]).isEqualTo(words[3]); // "sent N trades, N acknowledged"
    assertThat(FeedTopics.recordCount(topic)).isEqualTo(Long.parseLong(words[1]));
  }

  private static JsonNode json(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new AssertionError("not a JSON log line: " + line, e);
    }
  }
}
