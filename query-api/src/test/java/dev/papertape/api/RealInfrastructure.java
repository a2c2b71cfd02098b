package dev.papertape.api;

import dev.papertape.model.Trade;
import dev.papertape.model.TradeCodec;
import dev.papertape.testing.KafkaTestBroker;
import dev.papertape.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Points a Spring test context at the real test TimescaleDB and the in-JVM Kafka broker, with
 * topics of its own (created up front, so the stream consumers attach at once). Public for the ITs
 * of feature packages (e.g. {@code stream/}, which use package-private test hooks).
 */
public final class RealInfrastructure {
  public final String trades = KafkaTestBroker.uniqueTopic("trades");
  public final String metrics = KafkaTestBroker.uniqueTopic("aggregated-metrics");
  public final String signals = KafkaTestBroker.uniqueTopic("price-alerts");

  public RealInfrastructure() {
    for (String t : List.of(trades, metrics, signals)) {
      KafkaTestBroker.createTopic(t, 2);
    }
  }

  /**
   * Produces the trades, in order, to partition 0 of this context's trades topic (key = symbol).
   */
  public void produceTrades(Trade... trades) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (Trade t : trades) {
      records.add(
          new ProducerRecord<>(
              this.trades,
              0,
              t.symbol().getBytes(StandardCharsets.UTF_8),
              new TradeCodec().encode(t)));
    }
    KafkaTestBroker.produce(this.trades, records);
  }

  public void register(DynamicPropertyRegistry r) {
    String jdbc = TestDatabase.migrated();
    r.add("spring.flyway.url", () -> jdbc);
    r.add("spring.flyway.user", () -> TestDatabase.USER);
    r.add("spring.flyway.password", () -> TestDatabase.PASSWORD);
    r.add("spring.r2dbc.url", () -> jdbc.replace("jdbc:", "r2dbc:"));
    r.add("spring.r2dbc.username", () -> TestDatabase.USER);
    r.add("spring.r2dbc.password", () -> TestDatabase.PASSWORD);
    r.add("papertape.kafka.bootstrap", KafkaTestBroker::bootstrap);
    r.add("papertape.stream.trades-topic", () -> trades);
    r.add("papertape.stream.metrics-topic", () -> metrics);
    r.add("papertape.stream.signals-topic", () -> signals);
  }
}
