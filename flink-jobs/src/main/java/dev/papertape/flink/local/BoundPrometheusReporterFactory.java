package dev.papertape.flink.local;

import dev.papertape.ops.BindAddress;
import java.util.Properties;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Creates a {@link BoundPrometheusReporter} from the reporter's options {@code host} (an IP
 * address, default {@code 127.0.0.1}) and {@code port} (default 9249, 0 = any free port), e.g.
 * {@code metrics.reporter.prom.factory.class:
 * dev.papertape.flink.local.BoundPrometheusReporterFactory}, {@code metrics.reporter.prom.host:
 * 127.0.0.1}. Registered in {@code META-INF/services}, where Flink looks for reporter factories.
 */
public final class BoundPrometheusReporterFactory implements MetricReporterFactory {
  static final String HOST = "host";
  static final String PORT = "port";

  @Override
  public BoundPrometheusReporter createMetricReporter(Properties properties) {
    MetricConfig config = (MetricConfig) properties;
    return new BoundPrometheusReporter(
        BindAddress.parse(config.getString(HOST, BindAddress.DEFAULT)),
        config.getInteger(PORT, 9249));
  }
}
