package dev.papertape.feed;

import dev.papertape.model.Trade;
import dev.papertape.model.TradeCodec;
import dev.papertape.testing.KafkaTestBroker;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** What the feed wrote to a topic of the in-JVM broker. */
final class FeedTopics {
  private FeedTopics() {}

  /** The environment of a feed writing to {@code topic} of the test broker. */
  static Map<String, String> env(String topic) {
    Map<String, String> env = new HashMap<>();
    env.put("PAPERTAPE_KAFKA_BOOTSTRAP", KafkaTestBroker.bootstrap());
    env.put("PAPERTAPE_TRADES_TOPIC", topic);
    env.put("PAPERTAPE_FEED_PORT", "0");
    return env;
  }

  /**
   * Records in the topic (sum of the partitions' end offsets; the feed does not use transactions).
   */
  static long recordCount(String topic) throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrap()))) {
      TopicDescription d =
          admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      d.partitions()
          .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      long n = 0;
      for (ListOffsetsResultInfo info :
          admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values()) {
        n += info.offset();
      }
      return n;
    }
  }

  /** Whether the topic exists and holds at least {@code n} records. */
  static boolean topicHas(String topic, long n) {
    try {
      return recordCount(topic) >= n;
    } catch (Exception e) {
      return false; // not created yet
    }
  }

  static int partitions(String topic) throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrap()))) {
      return admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get(30, TimeUnit.SECONDS)
          .get(topic)
          .partitions()
          .size();
    }
  }

  /** Decodes the records, checking each key is its trade's symbol. */
  static List<Trade> decode(List<ConsumerRecord<byte[], byte[]>> records) {
    TradeCodec codec = new TradeCodec();
    List<Trade> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      Trade t = codec.decode(r.value(), null);
      if (!t.symbol().equals(new String(r.key(), StandardCharsets.UTF_8))) {
        throw new AssertionError(
            "record key "
                + new String(r.key(), StandardCharsets.UTF_8)
                + " is not the symbol of "
                + t);
      }
      out.add(t);
    }
    return out;
  }

  /** Trades grouped by symbol, each group in order. */
  static Map<String, List<Trade>> bySymbol(List<Trade> trades) {
    Map<String, List<Trade>> out = new LinkedHashMap<>();
    trades.forEach(t -> out.computeIfAbsent(t.symbol(), s -> new ArrayList<>()).add(t));
    return out;
  }
}
