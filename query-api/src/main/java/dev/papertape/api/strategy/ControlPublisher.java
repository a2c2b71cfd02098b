package dev.papertape.api.strategy;

import dev.papertape.api.config.PapertapeKafkaProperties;
import dev.papertape.kafka.TopicSpec;
import dev.papertape.kafka.Topics;
import dev.papertape.strategy.ControlEvent;
import dev.papertape.strategy.ControlEventCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Publishes {@link ControlEvent}s to the compacted control topic (key {@link ControlEvent#key()},
 * value {@link ControlEventCodec}), idempotent producer, {@code acks=all}: a {@link #publish} ends
 * once Kafka acknowledged the event, or fails within {@code publishTimeout}. Creates the topic (one
 * partition, {@code cleanup.policy=compact}) when it is missing, on the first publish.
 */
@Component
public class ControlPublisher implements DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(ControlPublisher.class);

  private final ControlEventCodec codec = new ControlEventCodec();
  private final String topic;
  private final String bootstrap;
  private final Duration timeout;
  private final Producer<String, byte[]> producer;
  private final Counter published;
  private final Counter failed;
  private volatile boolean topicReady;

  ControlPublisher(
      PapertapeKafkaProperties kafka, StrategyProperties props, MeterRegistry registry) {
    this.topic = props.controlTopic();
    this.bootstrap = kafka.bootstrap();
    this.timeout = props.publishTimeout();
    int ms = (int) timeout.toMillis();
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrap(),
                ProducerConfig.CLIENT_ID_CONFIG,
                "papertape-api-control",
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                ms,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                ms,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                ms + 100,
                ProducerConfig.LINGER_MS_CONFIG,
                0),
            new StringSerializer(),
            new ByteArraySerializer());
    this.published =
        Counter.builder("papertape.control.published")
            .description("Control events Kafka acknowledged")
            .register(registry);
    this.failed =
        Counter.builder("papertape.control.publish.failures")
            .description("Control events Kafka did not acknowledge in time (left pending)")
            .register(registry);
  }

  String topic() {
    return topic;
  }

  /** Sends one event and waits for the acknowledgement (off the caller's thread). */
  public Mono<Void> publish(ControlEvent event) {
    return Mono.fromFuture(() -> send(event))
        .subscribeOn(Schedulers.boundedElastic()) // send() may block (metadata, topic creation)
        .timeout(timeout.plusMillis(500))
        .doOnSuccess(v -> published.increment())
        .doOnError(
            e -> {
              failed.increment();
              log.atWarn()
                  .addKeyValue("key", event.key())
                  .addKeyValue("error", e.toString())
                  .log("Control event not acknowledged; the row stays pending");
            })
        .then();
  }

  private CompletableFuture<Void> send(ControlEvent event) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      ensureTopic();
      producer.send(
          new ProducerRecord<>(topic, event.key(), codec.encode(event)),
          (meta, e) -> {
            if (e != null) {
              done.completeExceptionally(e);
            } else {
              done.complete(null);
            }
          });
    } catch (RuntimeException e) {
      done.completeExceptionally(e);
    }
    return done;
  }

  /** Creates the topic when missing (once per process); blocks up to Topics.ensure's timeouts. */
  void ensureTopic() {
    if (!topicReady) {
      synchronized (this) {
        if (!topicReady) {
          Topics.ensure(bootstrap, List.of(new TopicSpec(topic, 1, Topics.compacted())));
          topicReady = true;
        }
      }
    }
  }

  @Override
  public void destroy() {
    producer.close(Duration.ofSeconds(5));
  }
}
