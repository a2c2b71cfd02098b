package dev.papertape.flink.local;

import dev.papertape.config.Settings;
import dev.papertape.flink.metrics.MarketMetricsJob;
import dev.papertape.flink.metrics.MetricsJobConfig;
import dev.papertape.flink.signals.SignalsJob;
import dev.papertape.flink.signals.SignalsJobConfig;
import dev.papertape.kafka.Topics;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project's jobs that the embedded runner can run, chosen with {@code PAPERTAPE_FLINK_JOBS}
 * (e.g. {@code metrics,signals}; all of them by default). Adding a job is one constant here: its
 * short name (also the name of its state directory and health entry), its Flink job name, and how
 * it prepares (validates its settings, creates its topics) and wires itself.
 */
public enum LocalJob {
  METRICS("metrics", MarketMetricsJob.NAME) {
    @Override
    void prepare(Settings s) {
      MetricsJobConfig cfg = MetricsJobConfig.from(s);
      LOG.info("job {} settings: {}", label(), cfg.describe());
      Topics.ensure(cfg.kafkaBootstrap(), cfg.topics());
    }

    @Override
    void wire(StreamExecutionEnvironment env, Settings s) {
      MarketMetricsJob.wire(env, MetricsJobConfig.from(s));
    }
  },
  SIGNALS("signals", SignalsJob.NAME) {
    @Override
    void prepare(Settings s) {
      SignalsJobConfig cfg = SignalsJobConfig.from(s);
      LOG.info("job {} settings: {}", label(), cfg.describe());
      Topics.ensure(cfg.kafkaBootstrap(), cfg.topics());
    }

    @Override
    void wire(StreamExecutionEnvironment env, Settings s) {
      SignalsJob.wire(env, SignalsJobConfig.from(s));
    }
  };

  private static final Logger LOG = LoggerFactory.getLogger(LocalJob.class);

  private final String label;
  private final String jobName;

  LocalJob(String label, String jobName) {
    this.label = label;
    this.jobName = jobName;
  }

  /** Short name: the value in {@code PAPERTAPE_FLINK_JOBS}, the state directory, the health key. */
  public String label() {
    return label;
  }

  /** The name Flink shows. */
  public String jobName() {
    return jobName;
  }

  /** Validates the job's settings and creates what it needs (topics) before it is submitted. */
  abstract void prepare(Settings s) throws Exception;

  /** Builds the job's graph (with its checkpointing) into {@code env}. */
  abstract void wire(StreamExecutionEnvironment env, Settings s);

  /** Parses one short name, with a message naming the accepted ones. */
  public static LocalJob parse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    for (LocalJob j : values()) {
      if (j.label.equals(v)) {
        return j;
      }
    }
    throw new IllegalArgumentException("'" + value + "' is not a job; accepted: " + labels());
  }

  /** The accepted short names, comma-separated. */
  public static String labels() {
    return Arrays.stream(values()).map(LocalJob::label).collect(Collectors.joining(", "));
  }
}
