package dev.papertape.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicCatalogTest {
  @Test
  void everyTopicOfBothJobsOnceWithTheCodesPartitionsAndRetention() {
    Map<String, TopicSpec> byName =
        TopicCatalog.all(4, 7).stream()
            .collect(Collectors.toMap(TopicSpec::name, Function.identity()));

    assertThat(byName)
        .containsOnlyKeys(
            Topics.TRADES,
            Topics.TRADES_DLQ,
            Topics.TRADES_LATE,
            Topics.AGGREGATED_METRICS,
            Topics.PRICE_ALERTS,
            Topics.AGGREGATED_METRICS_DLQ,
            Topics.STRATEGY_CONTROL,
            Topics.STRATEGY_CONTROL_DLQ);
    for (String data : List.of(Topics.TRADES, Topics.AGGREGATED_METRICS, Topics.PRICE_ALERTS)) {
      assertThat(byName.get(data).partitions()).isEqualTo(4);
      assertThat(byName.get(data).configs()).containsEntry("retention.ms", "604800000");
    }
    for (String dlq :
        List.of(
            Topics.TRADES_DLQ,
            Topics.TRADES_LATE,
            Topics.AGGREGATED_METRICS_DLQ,
            Topics.STRATEGY_CONTROL_DLQ)) {
      assertThat(byName.get(dlq).partitions()).isEqualTo(1);
      assertThat(byName.get(dlq).configs()).containsEntry("retention.ms", "2592000000");
    }
    assertThat(byName.get(Topics.STRATEGY_CONTROL))
        .isEqualTo(new TopicSpec(Topics.STRATEGY_CONTROL, 1, Map.of("cleanup.policy", "compact")));
  }

  @Test
  void jsonListsEachSpecWithItsConfigsSortedByKey() {
    String json =
        TopicCatalog.json(
            List.of(new TopicSpec("a\"b", 2, Map.of("z", "1", "cleanup.policy", "delete"))));

    assertThat(json)
        .isEqualTo(
            "[\n  {\"name\": \"a\\\"b\", \"partitions\": 2, \"configs\": {\"cleanup.policy\":"
                + " \"delete\", \"z\": \"1\"}}\n]\n");
  }

  @Test
  void mainWritesTheCatalogAndRefusesBadArguments(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("topics.json");

    TopicCatalog.main(new String[] {out.toString(), "3", "2"});

    assertThat(Files.readString(out, StandardCharsets.UTF_8))
        .isEqualTo(TopicCatalog.json(TopicCatalog.all(3, 2)))
        .contains("{\"name\": \"trades\", \"partitions\": 3");
    assertThatThrownBy(() -> TopicCatalog.main(new String[] {out.toString(), "0", "7"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("PARTITIONS must be a positive integer, got '0'");
    assertThatThrownBy(() -> TopicCatalog.main(new String[] {out.toString()}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("usage: TopicCatalog OUT.json PARTITIONS RETENTION_DAYS");
  }
}
