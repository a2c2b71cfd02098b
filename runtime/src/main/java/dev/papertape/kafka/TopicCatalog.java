package dev.papertape.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every topic the processes create, with the names they use by default, as the code makes them
 * ({@link Topics#pipeline} and {@link Topics#signals}): the deployment files (Strimzi {@code
 * KafkaTopic}s) are checked against this list by {@code ops/test/deploy-test.sh}, so a topic, a
 * partition count or a retention changed here fails the check until the manifests follow.
 *
 * <p>Run with the compiled classes: {@code TopicCatalog OUT.json PARTITIONS RETENTION_DAYS}, where
 * the two numbers are the deployment's {@code PAPERTAPE_TRADES_PARTITIONS} and {@code
 * PAPERTAPE_TOPIC_RETENTION_DAYS}. It writes a JSON array of {@code
 * {"name","partitions","configs"}}.
 */
public final class TopicCatalog {
  private TopicCatalog() {}

  /** The topics of both jobs (the feed and the API create a subset of them), each once. */
  public static List<TopicSpec> all(int partitions, long retentionDays) {
    Map<String, TopicSpec> byName = new LinkedHashMap<>();
    List<TopicSpec> specs = new ArrayList<>();
    specs.addAll(
        Topics.pipeline(
            Topics.TRADES,
            Topics.TRADES_DLQ,
            Topics.TRADES_LATE,
            Topics.AGGREGATED_METRICS,
            partitions,
            retentionDays));
    specs.addAll(
        Topics.signals(
            Topics.PRICE_ALERTS,
            Topics.STRATEGY_CONTROL,
            Topics.AGGREGATED_METRICS_DLQ,
            Topics.STRATEGY_CONTROL_DLQ,
            partitions,
            retentionDays));
    for (TopicSpec s : specs) {
      TopicSpec earlier = byName.putIfAbsent(s.name(), s);
      if (earlier != null && !earlier.equals(s)) {
        throw new IllegalStateException(
            "topic " + s.name() + " is made two ways: " + earlier + " and " + s);
      }
    }
    return List.copyOf(byName.values());
  }

  /** The specs as a JSON array (configs sorted by key). */
  public static String json(List<TopicSpec> specs) {
    StringBuilder b = new StringBuilder("[\n");
    for (int i = 0; i < specs.size(); i++) {
      TopicSpec s = specs.get(i);
      b.append("  {\"name\": ")
          .append(quote(s.name()))
          .append(", \"partitions\": ")
          .append(s.partitions())
          .append(", \"configs\": {");
      String sep = "";
      for (Map.Entry<String, String> c : new TreeMap<>(s.configs()).entrySet()) {
        b.append(sep).append(quote(c.getKey())).append(": ").append(quote(c.getValue()));
        sep = ", ";
      }
      b.append("}}").append(i + 1 < specs.size() ? ",\n" : "\n");
    }
    return b.append("]\n").toString();
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      throw new IllegalArgumentException(
          "usage: TopicCatalog OUT.json PARTITIONS RETENTION_DAYS (got " + args.length + " args)");
    }
    int partitions = parse(args[1], "PARTITIONS");
    int retentionDays = parse(args[2], "RETENTION_DAYS");
    Files.writeString(
        Path.of(args[0]), json(all(partitions, retentionDays)), StandardCharsets.UTF_8);
  }

  private static int parse(String v, String what) {
    try {
      int n = Integer.parseInt(v.trim());
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " must be a positive integer, got '" + v + "'", e);
    }
  }
}
