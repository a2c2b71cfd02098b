package dev.papertape.flink.it;

import static dev.papertape.testing.KafkaTestBroker.uniqueTopic;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.papertape.config.Settings;
import dev.papertape.flink.metrics.MetricsJobConfig;
import dev.papertape.model.MetricWindow;
import dev.papertape.model.Trade;
import dev.papertape.model.TradeCodec;
import dev.papertape.model.WindowMetrics;
import dev.papertape.model.WindowMetricsCodec;
import dev.papertape.testing.KafkaTestBroker;
import dev.papertape.testing.TestDatabase;
import dev.papertape.testing.TradeFixtures;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Shared set-up of the pipeline integration tests: a job configuration on fresh topics of the real
 * test broker and the real test database, and the independent SQL recomputation of the metrics from
 * the {@code trades} table with TimescaleDB's {@code time_bucket}.
 */
final class Pipeline {
  static final Map<MetricWindow, String> INTERVALS =
      Map.of(
          MetricWindow.S1, "1 second",
          MetricWindow.M1, "1 minute",
          MetricWindow.M5, "5 minutes",
          MetricWindow.H1, "1 hour",
          MetricWindow.D1, "1 day");

  private static final TradeCodec TRADES = new TradeCodec();
  private static final WindowMetricsCodec METRICS = new WindowMetricsCodec();
  private static final ObjectMapper JSON = new ObjectMapper();

  private Pipeline() {}

  /** The Flink cluster of a pipeline test: one TaskManager with two slots. */
  static MiniClusterExtension miniCluster() {
    return new MiniClusterExtension(
        new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());
  }

  /** A configuration on new topics; {@code overrides} are settings by their env names. */
  static MetricsJobConfig config(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>();
    env.put("PAPERTAPE_KAFKA_BOOTSTRAP", KafkaTestBroker.bootstrap());
    env.put("PAPERTAPE_TRADES_TOPIC", uniqueTopic("trades"));
    env.put("PAPERTAPE_TRADES_DLQ_TOPIC", uniqueTopic("trades-dlq"));
    env.put("PAPERTAPE_TRADES_LATE_TOPIC", uniqueTopic("trades-late"));
    env.put("PAPERTAPE_METRICS_TOPIC", uniqueTopic("aggregated-metrics"));
    env.put("PAPERTAPE_METRICS_GROUP_ID", "it-" + UUID.randomUUID());
    env.put("PAPERTAPE_TRADES_PARTITIONS", "1");
    env.put("PAPERTAPE_DB_URL", TestDatabase.migrated());
    env.put("PAPERTAPE_DB_USER", TestDatabase.USER);
    env.put("PAPERTAPE_DB_PASSWORD", TestDatabase.PASSWORD);
    env.putAll(overrides);
    return MetricsJobConfig.from(new Settings(env));
  }

  /** A symbol no other test run uses, so tests share the database without interfering. */
  static String uniqueSymbol(String prefix) {
    return TradeFixtures.uniqueSymbol(prefix);
  }

  private static JsonNode rest(MiniCluster mini, String path) throws Exception {
    URI uri = mini.getRestAddress().get().resolve(path);
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  /** The job's {@code numRestarts} (the metric fetcher publishes it after a few seconds). */
  static long restarts(MiniCluster mini, JobClient job) throws Exception {
    String path = "/jobs/" + job.getJobID() + "/metrics?get=numRestarts";
    await().atMost(Duration.ofSeconds(30)).until(() -> rest(mini, path).size() == 1);
    return rest(mini, path).get(0).get("value").asLong();
  }

  /** Failures the job has seen (each one would have been a restart). */
  static JsonNode failures(MiniCluster mini, JobClient job) throws Exception {
    return rest(mini, "/jobs/" + job.getJobID() + "/exceptions")
        .get("exceptionHistory")
        .get("entries");
  }

  /**
   * The sum over every operator of the job of the metric named {@code name} (e.g. the database
   * sinks' {@code writeRetries}), once the metric fetcher has published it.
   */
  static long operatorMetric(MiniCluster mini, JobClient job, String name) throws Exception {
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

  static ProducerRecord<byte[], byte[]> record(Trade t) {
    return new ProducerRecord<>(
        "ignored", t.symbol().getBytes(StandardCharsets.UTF_8), TRADES.encode(t));
  }

  static ProducerRecord<byte[], byte[]> raw(String key, String value) {
    return new ProducerRecord<>(
        "ignored",
        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        value.getBytes(StandardCharsets.UTF_8));
  }

  static long storedTradeCount(List<String> symbols) {
    return (Long)
        TestDatabase.query(
                "SELECT count(*) AS n FROM trades WHERE symbol = ANY(?)",
                (Object) symbols.toArray(new String[0]))
            .get(0)
            .get("n");
  }

  /** The metrics rows the job wrote, one normalised line per row, ordered. */
  static List<String> storedMetrics(MetricWindow w, List<String> symbols) {
    return lines(
        TestDatabase.query(
            "SELECT symbol, window_start, open, high, low, close, volume, vwap, trade_count,"
                + " price_range FROM aggregated_metrics WHERE \"window\" = ? AND symbol = ANY(?)"
                + " ORDER BY symbol, window_start",
            w.label(),
            symbols.toArray(new String[0])));
  }

  /**
   * The same metrics recomputed independently in SQL from the stored raw trades, leaving out the
   * trades that were late for this window size.
   */
  static List<String> recomputedMetrics(
      MetricWindow w, List<String> symbols, List<String> lateIds) {
    return lines(
        TestDatabase.query(
            "SELECT symbol, time_bucket(CAST(? AS interval), ts) AS window_start,"
                + " first(price, ts) AS open, max(price) AS high, min(price) AS low,"
                + " last(price, ts) AS close, sum(size) AS volume,"
                + " round(sum(price * size) / sum(size), 8) AS vwap, count(*) AS trade_count,"
                + " max(price) - min(price) AS price_range"
                + " FROM trades WHERE symbol = ANY(?) AND NOT (trade_id = ANY(?))"
                + " GROUP BY 1, 2 ORDER BY 1, 2",
            INTERVALS.get(w),
            symbols.toArray(new String[0]),
            lateIds.toArray(new String[0])));
  }

  /** Metrics read from the topic, as lines; a re-published window appears once per record. */
  static List<String> publishedMetrics(
      String topic, int expected, MetricWindow w, Duration timeout) {
    List<WindowMetrics> all = new ArrayList<>();
    KafkaTestBroker.consume(topic, expected, timeout)
        .forEach(r -> all.add(METRICS.decode(r.value())));
    return all.stream()
        .filter(m -> m.window() == w)
        .map(
            m ->
                String.join(
                    "|",
                    m.symbol(),
                    m.windowStart().toString(),
                    plain(m.open()),
                    plain(m.high()),
                    plain(m.low()),
                    plain(m.close()),
                    Long.toString(m.volume()),
                    plain(m.vwap()),
                    Long.toString(m.tradeCount()),
                    plain(m.priceRange())))
        .sorted()
        .collect(Collectors.toList());
  }

  private static List<String> lines(List<Map<String, Object>> rows) {
    return rows.stream()
        .map(r -> r.values().stream().map(Pipeline::normalise).collect(Collectors.joining("|")))
        .sorted()
        .collect(Collectors.toList());
  }

  private static String normalise(Object v) {
    if (v instanceof BigDecimal d) {
      return plain(d);
    }
    if (v instanceof Timestamp t) {
      return t.toInstant().toString();
    }
    return String.valueOf(v);
  }

  private static String plain(BigDecimal d) {
    return d.stripTrailingZeros().toPlainString();
  }
}
