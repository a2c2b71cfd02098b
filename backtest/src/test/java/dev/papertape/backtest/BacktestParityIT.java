package dev.papertape.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.papertape.config.Settings;
import dev.papertape.feed.replay.ReplayFormat;
import dev.papertape.feed.replay.TradeCsvReader;
import dev.papertape.flink.metrics.MarketMetricsJob;
import dev.papertape.flink.metrics.MetricsJobConfig;
import dev.papertape.flink.signals.SignalsJob;
import dev.papertape.flink.signals.SignalsJobConfig;
import dev.papertape.kafka.Topics;
import dev.papertape.model.Signal;
import dev.papertape.model.SignalCodec;
import dev.papertape.model.Trade;
import dev.papertape.model.TradeCodec;
import dev.papertape.testing.KafkaTestBroker;
import dev.papertape.testing.TestDatabase;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backtest/live parity: one CSV file through {@code ./papertape backtest}'s path and through the
 * live Kafka path — the trades produced to {@code trades}, the metrics job (Kafka source, bounded
 * at the end of what was produced, its real sinks) writing {@code aggregated-metrics}, the signals
 * job reading it with the instances activated on {@code strategy-control} before the first metric —
 * gives exactly the same signals (id, source, symbol, side, price, ts, reason), for vwap-deviation
 * and ma-crossover.
 */
class BacktestParityIT {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(4)
              .build());

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-01-05T14:30:00Z");

  @TempDir Path dir;

  /**
   * Three symbols, 120 minutes, 2 to 6 trades a minute on a seeded random walk, with a duplicate (a
   * replayed trade, same id) now and then and some trades up to a second out of order.
   */
  static String file(String[] symbols) {
    SplittableRandom r = new SplittableRandom(16);
    StringBuilder b = new StringBuilder("symbol,price,size,ts,tradeId\n");
    Map<String, BigDecimal> price = new HashMap<>();
    int id = 0;
    for (String s : symbols) {
      price.put(s, BigDecimal.valueOf(100 + r.nextInt(50)));
    }
    for (int minute = 0; minute < 120; minute++) {
      for (String s : symbols) {
        int n = 2 + r.nextInt(5);
        String last = null;
        for (int k = 0; k < n; k++) {
          BigDecimal p =
              price
                  .get(s)
                  .multiply(BigDecimal.valueOf(1 + (r.nextDouble() - 0.5) * 0.01))
                  .setScale(2, RoundingMode.HALF_UP);
          price.put(s, p);
          long ms = T0.toEpochMilli() + minute * 60_000L + k * (60_000L / n) + r.nextInt(1000);
          String line =
              s + "," + p.toPlainString() + "," + (1 + r.nextInt(300)) + "," + ms + ",t" + id++;
          b.append(line).append('\n');
          if (last != null && r.nextInt(10) == 0) {
            b.append(last).append('\n'); // the same trade again
          }
          last = line;
        }
      }
    }
    return b.toString();
  }

  static String line(Signal s) {
    return s.ts()
        + "|"
        + s.symbol()
        + "|"
        + s.source()
        + "|"
        + s.side()
        + "|"
        + s.price().stripTrailingZeros().toPlainString()
        + "|"
        + s.id()
        + "|"
        + s.reason();
  }

  static Map<String, String> base() {
    Map<String, String> env = new HashMap<>();
    env.put("PAPERTAPE_KAFKA_BOOTSTRAP", KafkaTestBroker.bootstrap());
    env.put("PAPERTAPE_TRADES_PARTITIONS", "1");
    env.put("PAPERTAPE_CHECKPOINT_INTERVAL", "1s");
    env.put("PAPERTAPE_DB_URL", TestDatabase.migrated());
    env.put("PAPERTAPE_DB_USER", TestDatabase.USER);
    env.put("PAPERTAPE_DB_PASSWORD", TestDatabase.PASSWORD);
    env.put("PAPERTAPE_PRICE_DROP_PCT", "0");
    return env;
  }

  @Test
  void theLiveKafkaPathGivesExactlyTheBacktestsSignals(@InjectMiniCluster MiniCluster mini)
      throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 6).toUpperCase();
    String[] symbols = {"PA" + suffix, "PB" + suffix, "PC" + suffix};
    Path csv = dir.resolve("parity.csv");
    Files.writeString(csv, file(symbols));
    TradeFile trades = TradeFile.validate(csv, ReplayFormat.TRADES, null, null, null);
    String vwapId = "par-vwap-" + suffix.toLowerCase();
    String maId = "par-ma-" + suffix.toLowerCase();
    Map<String, String> vwapParams = Map.of("lookback", "5", "thresholdPct", "0.1");
    Map<String, String> maParams = Map.of("fast", "3", "slow", "8");

    // the backtest (the same MiniCluster)
    Backtest backtest = new Backtest(Backtest.Environment.of(Map.<String, String>of()::get));
    List<Signal> expected = new ArrayList<>();
    for (var run :
        List.of(
            new BacktestRequest(
                "vwap-deviation",
                vwapId,
                vwapParams,
                List.of(),
                trades,
                new BigDecimal("100000"),
                SizingRule.ALL_IN),
            new BacktestRequest(
                "ma-crossover",
                maId,
                maParams,
                List.of(),
                trades,
                new BigDecimal("100000"),
                SizingRule.ALL_IN))) {
      expected.addAll(backtest.run(run).job().signals());
    }
    assertThat(expected).extracting(Signal::source).contains(vwapId, maId);
    assertThat(expected).hasSizeGreaterThan(20);

    // the live path
    Map<String, String> env = base();
    env.put("PAPERTAPE_TRADES_TOPIC", KafkaTestBroker.uniqueTopic("trades"));
    env.put("PAPERTAPE_TRADES_DLQ_TOPIC", KafkaTestBroker.uniqueTopic("trades-dlq"));
    env.put("PAPERTAPE_TRADES_LATE_TOPIC", KafkaTestBroker.uniqueTopic("trades-late"));
    env.put("PAPERTAPE_METRICS_TOPIC", KafkaTestBroker.uniqueTopic("aggregated-metrics"));
    env.put("PAPERTAPE_METRICS_DLQ_TOPIC", KafkaTestBroker.uniqueTopic("aggregated-metrics-dlq"));
    env.put("PAPERTAPE_CONTROL_TOPIC", KafkaTestBroker.uniqueTopic("strategy-control"));
    env.put("PAPERTAPE_CONTROL_DLQ_TOPIC", KafkaTestBroker.uniqueTopic("strategy-control-dlq"));
    env.put("PAPERTAPE_SIGNALS_TOPIC", KafkaTestBroker.uniqueTopic("price-alerts"));
    env.put("PAPERTAPE_METRICS_GROUP_ID", "it-" + UUID.randomUUID());
    env.put("PAPERTAPE_SIGNALS_GROUP_ID", "it-" + UUID.randomUUID());
    MetricsJobConfig mcfg = MetricsJobConfig.from(new Settings(env));
    SignalsJobConfig scfg = SignalsJobConfig.from(new Settings(env));
    Topics.ensure(mcfg.kafkaBootstrap(), mcfg.topics());
    Topics.ensure(scfg.kafkaBootstrap(), scfg.topics());

    KafkaTestBroker.produce(
        scfg.controlTopic(),
        List.of(
            control(vwapId, "vwap-deviation", "{\"lookback\":5,\"thresholdPct\":\"0.1\"}"),
            control(maId, "ma-crossover", "{\"fast\":3,\"slow\":8}")));
    TradeCodec codec = new TradeCodec();
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (TradeCsvReader reader = new TradeCsvReader(csv)) {
      for (Trade t = reader.next(); t != null; t = reader.next()) {
        records.add(
            new ProducerRecord<>(
                "ignored", t.symbol().getBytes(StandardCharsets.UTF_8), codec.encode(t)));
      }
    }
    KafkaTestBroker.produce(mcfg.tradesTopic(), records);

    StreamExecutionEnvironment signalsEnv = StreamExecutionEnvironment.getExecutionEnvironment();
    SignalsJob.wire(signalsEnv, scfg);
    JobClient signalsJob = signalsEnv.executeAsync("parity-signals");
    try {
      // both activations are in the broadcast state before the first metric exists
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> operatorMetric(mini, signalsJob, "controlEventsApplied") >= 2);
      StreamExecutionEnvironment metricsEnv = StreamExecutionEnvironment.getExecutionEnvironment();
      // bounded at the end of what was produced: every window closes, as in the backtest
      MarketMetricsJob.wire(
          metricsEnv,
          mcfg,
          MarketMetricsJob.source(mcfg).setBounded(OffsetsInitializer.latest()).build());
      metricsEnv.execute("parity-metrics");

      SignalCodec signals = new SignalCodec();
      List<Signal> live = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () -> {
                live.clear();
                KafkaTestBroker.consume(scfg.signalsTopic(), expected.size(), Duration.ofSeconds(2))
                    .forEach(r -> live.add(signals.decode(r.value())));
                return live.size() >= expected.size();
              });
      // nothing more comes
      Thread.sleep(3000);
      live.clear();
      KafkaTestBroker.consume(scfg.signalsTopic(), expected.size() + 1, Duration.ofSeconds(5))
          .forEach(r -> live.add(signals.decode(r.value())));
      Comparator<String> order = Comparator.naturalOrder();
      assertThat(live.stream().map(BacktestParityIT::line).sorted(order).toList())
          .isEqualTo(expected.stream().map(BacktestParityIT::line).sorted(order).toList());
    } finally {
      signalsJob.cancel().get(30, TimeUnit.SECONDS);
    }
  }

  static ProducerRecord<byte[], byte[]> control(String id, String strategy, String params) {
    String json =
        "{\"type\":\"strategy\",\"id\":\""
            + id
            + "\",\"active\":true,\"strategy\":\""
            + strategy
            + "\",\"params\":"
            + params
            + ",\"symbols\":\"all\"}";
    return new ProducerRecord<>(
        "ignored",
        ("strategy/" + id).getBytes(StandardCharsets.UTF_8),
        json.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode rest(MiniCluster mini, String path) throws Exception {
    URI uri = mini.getRestAddress().get().resolve(path);
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  /** The sum over the job's operators of the metric {@code name}, once published. */
  private static long operatorMetric(MiniCluster mini, JobClient job, String name)
      throws Exception {
    String jobPath = "/jobs/" + job.getJobID();
    long sum = 0;
    for (JsonNode vertex : rest(mini, jobPath).get("vertices")) {
      String path = jobPath + "/vertices/" + vertex.get("id").asText() + "/metrics";
      List<String> ids = new ArrayList<>();
      rest(mini, path).forEach(m -> ids.add(m.get("id").asText()));
      List<String> wanted = ids.stream().filter(id -> id.endsWith("." + name)).toList();
      if (!wanted.isEmpty()) {
        String get = URLEncoder.encode(String.join(",", wanted), StandardCharsets.UTF_8);
        for (JsonNode m : rest(mini, path + "?get=" + get)) {
          sum += m.get("value").asLong();
        }
      }
    }
    return sum;
  }
}
