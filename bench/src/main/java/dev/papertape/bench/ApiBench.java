package dev.papertape.bench;

import dev.papertape.model.Trade;
import dev.papertape.model.TradeCodec;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming half of {@code ./papertape bench api}, against a running API and broker.
 *
 * <p>{@code latency}: produces trades of one symbol at a steady rate to the trades topic, each
 * carrying its send time (System.nanoTime, this JVM) in its tradeId; an SSE client of {@code
 * /stream/trades} and, as the baseline, a plain Kafka consumer of the same topic record when each
 * arrives. Reports p50/p99 of both and the ratio of the p99s.
 *
 * <p>{@code clients}: opens N concurrent SSE connections, produces a few trades, checks every
 * client received them, and reports the API's heap afterwards.
 *
 * <p>Results go to the file named by {@code PAPERTAPE_BENCH_RESULT} as {@code key=value} words.
 */
public final class ApiBench {
  private static final Logger LOG = LoggerFactory.getLogger(ApiBench.class);
  private static final String SYMBOL = "AAPL";

  private final String api;
  private final String bootstrap;
  private final String topic;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private ApiBench(String api, String bootstrap, String topic) {
    this.api = api;
    this.bootstrap = bootstrap;
    this.topic = topic;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
    ApiBench b =
        new ApiBench(
            env.getOrDefault("PAPERTAPE_BENCH_API", "http://localhost:8080"),
            env.getOrDefault("PAPERTAPE_KAFKA_BOOTSTRAP", "localhost:9092"),
            env.getOrDefault("PAPERTAPE_TRADES_TOPIC", "trades"));
    String mode = args.length > 0 ? args[0] : "latency";
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
    String result =
        switch (mode) {
          case "latency" -> b.latency(n, 300);
          case "clients" -> b.clients(n);
          case "prime" -> b.prime();
          default ->
              throw new IllegalArgumentException("mode must be latency, clients or prime: " + mode);
        };
    LOG.info("bench {}: {}", mode, result);
    String out = env.get("PAPERTAPE_BENCH_RESULT");
    if (out != null) {
      Files.writeString(Path.of(out), result + "\n");
    }
  }

  private KafkaProducer<byte[], byte[]> producer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.LINGER_MS_CONFIG,
            0,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class));
  }

  private static ProducerRecord<byte[], byte[]> record(String topic, String tradeId, String price) {
    Trade t = new Trade(SYMBOL, new BigDecimal(price), 1, Instant.now(), tradeId, "bench");
    return new ProducerRecord<>(
        topic, SYMBOL.getBytes(StandardCharsets.UTF_8), new TradeCodec().encode(t));
  }

  /** One trade so the price endpoint answers from the stream view. */
  private String prime() throws Exception {
    try (KafkaProducer<byte[], byte[]> p = producer()) {
      p.send(record(topic, "bench-prime-" + UUID.randomUUID(), "190.00")).get();
    }
    return "primed=1";
  }

  private String latency(int count, int perSecond) throws Exception {
    String run = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    List<Long> sse = Collections.synchronizedList(new ArrayList<>());
    List<Long> kafka = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch sseOpen = new CountDownLatch(1);

    // SSE client
    SseLines sseLines = new SseLines(line -> record(line, run, sse), sseOpen::countDown);
    CompletableFuture<?> sseCall =
        http.sendAsync(
            HttpRequest.newBuilder(URI.create(api + "/stream/trades?symbols=" + SYMBOL))
                .header("Accept", "text/event-stream")
                .build(),
            HttpResponse.BodyHandlers.fromLineSubscriber(sseLines));

    // baseline: a plain consumer of the same topic, from its end
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class));
    List<TopicPartition> parts =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    consumer.assign(parts);
    consumer.seekToEnd(parts);
    parts.forEach(consumer::position);
    AtomicLong stop = new AtomicLong();
    Thread kafkaThread =
        new Thread(
            () -> {
              while (stop.get() == 0) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                  record(new String(r.value(), StandardCharsets.UTF_8), run, kafka);
                }
              }
              consumer.close();
            },
            "baseline-consumer");
    kafkaThread.start();
    if (!sseOpen.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the SSE stream did not open: is the API at " + api + " up?");
    }
    Thread.sleep(1000); // both readers attached

    long intervalNanos = 1_000_000_000L / perSecond;
    try (KafkaProducer<byte[], byte[]> p = producer()) {
      long next = System.nanoTime();
      for (int i = 0; i < count; i++) {
        while (System.nanoTime() < next) {
          Thread.onSpinWait();
        }
        p.send(record(topic, run + System.nanoTime(), "190." + (i % 100)));
        next += intervalNanos;
      }
      p.flush();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while ((sse.size() < count || kafka.size() < count) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    stop.set(1);
    kafkaThread.join(5000);
    sseCall.cancel(true);
    sseLines.cancel();
    return String.format(
        Locale.ROOT,
        "sent=%d sseReceived=%d kafkaReceived=%d sseP50Ms=%.2f sseP99Ms=%.2f kafkaP50Ms=%.2f kafkaP99Ms=%.2f",
        count,
        sse.size(),
        kafka.size(),
        pct(sse, 50),
        pct(sse, 99),
        pct(kafka, 50),
        pct(kafka, 99));
  }

  /** Latency of one received trade of this run: now − the send time in its tradeId. */
  private static void record(String json, String run, List<Long> into) {
    int i = json.indexOf("\"tradeId\":\"" + run);
    if (i < 0) {
      return;
    }
    int start = i + "\"tradeId\":\"".length() + run.length();
    int end = json.indexOf('"', start);
    into.add(System.nanoTime() - Long.parseLong(json.substring(start, end)));
  }

  private static double pct(List<Long> nanos, int p) {
    if (nanos.isEmpty()) {
      return Double.NaN;
    }
    List<Long> s = new ArrayList<>(nanos);
    Collections.sort(s);
    int idx = (int) Math.ceil(p / 100.0 * s.size()) - 1;
    return s.get(Math.max(0, idx)) / 1e6;
  }

  private String clients(int n) throws Exception {
    ConcurrentLinkedQueue<SseLines> open = new ConcurrentLinkedQueue<>();
    CountDownLatch opened = new CountDownLatch(n);
    String run = "bench-c-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    AtomicLong received = new AtomicLong();
    List<CompletableFuture<?>> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      SseLines lines =
          new SseLines(
              line -> {
                if (line.contains(run)) {
                  received.incrementAndGet();
                }
              },
              opened::countDown);
      open.add(lines);
      calls.add(
          http.sendAsync(
              HttpRequest.newBuilder(URI.create(api + "/stream/trades?symbols=" + SYMBOL))
                  .header("Accept", "text/event-stream")
                  .build(),
              HttpResponse.BodyHandlers.fromLineSubscriber(lines)));
    }
    boolean all = opened.await(60, TimeUnit.SECONDS);
    long connected = n - opened.getCount();
    Thread.sleep(2000);
    int events = 5;
    try (KafkaProducer<byte[], byte[]> p = producer()) {
      for (int i = 0; i < events; i++) {
        p.send(record(topic, run + i, "191.0" + i)).get();
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (received.get() < connected * events && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    String heap = heapUsedMb();
    open.forEach(SseLines::cancel);
    calls.forEach(c -> c.cancel(true));
    return String.format(
        Locale.ROOT,
        "clients=%d connected=%d allConnected=%s eventsExpected=%d eventsReceived=%d apiHeapUsedMb=%s",
        n,
        connected,
        all,
        connected * events,
        received.get(),
        heap);
  }

  private String heapUsedMb() throws IOException, InterruptedException {
    String body =
        http.send(
                HttpRequest.newBuilder(
                        URI.create(api + "/actuator/metrics/jvm.memory.used?tag=area:heap"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    int i = body.indexOf("\"value\":");
    if (i < 0) {
      return "?";
    }
    int end = body.indexOf('}', i);
    double bytes = Double.parseDouble(body.substring(i + 8, end).trim());
    return String.format(Locale.ROOT, "%.0f", bytes / 1024 / 1024);
  }

  /** Line subscriber of one SSE response: hands {@code data:} lines on. */
  private static final class SseLines implements Flow.Subscriber<String> {
    private final java.util.function.Consumer<String> onData;
    private final Runnable onOpen;
    private volatile Flow.Subscription subscription;

    SseLines(java.util.function.Consumer<String> onData, Runnable onOpen) {
      this.onData = onData;
      this.onOpen = onOpen;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      onOpen.run();
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
      if (line.startsWith("data:")) {
        onData.accept(line.substring(5));
      }
    }

    @Override
    public void onError(Throwable t) {
      // the connection ends when the bench cancels it
    }

    @Override
    public void onComplete() {
      // idem
    }

    void cancel() {
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
    }
  }
}
