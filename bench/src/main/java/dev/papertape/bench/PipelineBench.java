package dev.papertape.bench;

import dev.papertape.flink.metrics.MarketMetricsJob;
import dev.papertape.flink.metrics.MetricsJobConfig;
import dev.papertape.kafka.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end-to-end half of {@code ./papertape bench pipeline}: runs the market metrics job exactly as
 * in production (parse, windows, TimescaleDB and Kafka sinks, checkpointing) over a topic the
 * script filled with N trades, bounded at the topic's current end, and reports the sustained rate
 * trades in → windows out, sinks included. Settings are the job's own ({@code PAPERTAPE_*}), the
 * topic in {@code PAPERTAPE_TRADES_TOPIC}, the database should be a throwaway one.
 *
 * <p>Writes one line {@code trades=<n> seconds=<s> rate=<trades/s> rows=<metric rows>
 * peakRssKb=<kB>} to the file named by {@code PAPERTAPE_BENCH_RESULT} for the script to read.
 */
public final class PipelineBench {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineBench.class);

  private PipelineBench() {}

  public static void main(String[] args) throws Exception {
    MetricsJobConfig cfg = MetricsJobConfig.from(MarketMetricsJob.settings(args));
    Flyway.configure()
        .dataSource(cfg.db().url(), cfg.db().user(), cfg.db().password())
        .locations("classpath:db/migration")
        .load()
        .migrate();
    Topics.ensure(cfg.kafkaBootstrap(), cfg.topics());

    // checkpoints as in ./papertape up: on the file system (the JobManager's memory holds 5 MB)
    Path checkpoints = Files.createTempDirectory("papertape-bench-checkpoints");
    Configuration conf = new Configuration();
    conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    MarketMetricsJob.wire(
        env, cfg, MarketMetricsJob.source(cfg).setBounded(OffsetsInitializer.latest()).build());
    LOG.info("bench: running the metrics job over {}", cfg.tradesTopic());
    long start = System.nanoTime();
    env.execute("papertape-pipeline-bench");
    double seconds = (System.nanoTime() - start) / 1e9;

    long trades = count(cfg, "SELECT count(*) FROM trades");
    long rows = count(cfg, "SELECT count(*) FROM aggregated_metrics");
    String result =
        String.format(
            Locale.ROOT,
            "trades=%d seconds=%.2f rate=%.0f rows=%d peakRssKb=%d",
            trades,
            seconds,
            trades / seconds,
            rows,
            peakRssKb());
    LOG.info("bench result: {}", result);
    String out = MarketMetricsJob.settings(args).string("PAPERTAPE_BENCH_RESULT", null);
    if (out != null) {
      Files.writeString(Path.of(out), result + "\n");
    }
  }

  private static long count(MetricsJobConfig cfg, String sql) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(cfg.db().url(), cfg.db().user(), cfg.db().password());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** This JVM's peak resident set (VmHWM), in kB; 0 where /proc is not there. */
  static long peakRssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      LOG.warn("cannot read the peak RSS: {}", e.toString());
    }
    return 0;
  }
}
