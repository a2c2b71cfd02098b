package dev.papertape.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;

/**
 * A real single-node KRaft Kafka broker (combined broker + controller) running in this JVM, started
 * once per test JVM and shared by every test in it. Tests isolate themselves by topic name ({@link
 * #uniqueTopic}).
 */
public final class KafkaTestBroker {
  private static KafkaClusterTestKit cluster;

  /** Kafka's own shutdown hooks (deleting the broker's temporary directories), run after close. */
  private static final List<Runnable> kafkaHooks = new ArrayList<>();

  private KafkaTestBroker() {}

  /** Starts the broker on first use; returns its bootstrap servers. */
  public static synchronized String bootstrap() {
    if (cluster == null) {
      guardTheJvm();
      try {
        KafkaClusterTestKit c =
            new KafkaClusterTestKit.Builder(
                    new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                .build();
        c.format();
        c.startup();
        c.waitForReadyBrokers();
        cluster = c;
        Runtime.getRuntime().addShutdownHook(new Thread(KafkaTestBroker::stop));
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the in-JVM Kafka broker", e);
      }
    }
    return cluster.bootstrapServers();
  }

  /**
   * The broker must never end the test JVM. At exit, Kafka's hooks that delete its temporary log
   * directories used to run at the same time as the hook closing the broker; a broker that found
   * its log directory gone mid-shutdown halted the JVM with status 1, and the build failed after
   * every test had passed ("Error occurred in starting fork"). Kafka's hooks are now run by {@link
   * #stop} after the broker is closed, and an exit or halt the broker asks for is reported, not
   * obeyed (a broken broker fails the tests that use it instead).
   */
  private static void guardTheJvm() {
    Exit.setShutdownHookAdder(
        (name, hook) -> {
          synchronized (kafkaHooks) {
            kafkaHooks.add(hook);
          }
        });
    Exit.Procedure report =
        (status, message) ->
            System.getLogger(KafkaTestBroker.class.getName())
                .log(
                    System.Logger.Level.ERROR,
                    "The in-JVM Kafka broker asked to end the JVM with status {0} ({1});"
                        + " ignored in tests",
                    status,
                    message);
    Exit.setExitProcedure(report);
    Exit.setHaltProcedure(report);
  }

  private static synchronized void stop() {
    try {
      closeCluster();
    } finally {
      synchronized (kafkaHooks) {
        kafkaHooks.forEach(Runnable::run);
        kafkaHooks.clear();
      }
    }
  }

  private static void closeCluster() {
    if (cluster != null) {
      try {
        cluster.close();
      } catch (Exception e) {
        // the JVM is exiting; nothing else can be done with the error than report it
        e.printStackTrace(); // checkstyle allows printStackTrace; it goes to the test log
      }
      cluster = null;
    }
  }

  /** A topic name no other test uses. */
  public static String uniqueTopic(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  public static void createTopic(String name, int partitions) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
      admin
          .createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create topic " + name, e);
    }
  }

  public static KafkaProducer<byte[], byte[]> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(p);
  }

  /** Sends records (in order, batched) and waits until every one is acknowledged. */
  public static void produce(String topic, List<ProducerRecord<byte[], byte[]>> records) {
    try (KafkaProducer<byte[], byte[]> p = producer()) {
      List<java.util.concurrent.Future<?>> acks = new ArrayList<>(records.size());
      for (ProducerRecord<byte[], byte[]> r : records) {
        acks.add(
            p.send(new ProducerRecord<>(topic, r.partition(), r.key(), r.value(), r.headers())));
      }
      p.flush();
      for (java.util.concurrent.Future<?> a : acks) {
        a.get(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot produce to " + topic, e);
    }
  }

  /**
   * Reads {@code topic} from the beginning (committed records only) until {@code expected} records
   * arrived or {@code timeout} passed; returns what arrived.
   */
  public static List<ConsumerRecord<byte[], byte[]>> consume(
      String topic, int expected, Duration timeout) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
      c.subscribe(List.of(topic));
      while (out.size() < expected && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }
}
