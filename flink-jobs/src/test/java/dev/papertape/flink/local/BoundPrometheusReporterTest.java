package dev.papertape.flink.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.papertape.config.Settings.InvalidSettingException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.flink.metrics.CharacterFilter;
import org.apache.flink.metrics.LogicalScopeProvider;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

class BoundPrometheusReporterTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private static BoundPrometheusReporter reporter(String host, String port) {
    MetricConfig config = new MetricConfig();
    if (host != null) {
      config.setProperty(BoundPrometheusReporterFactory.HOST, host);
    }
    config.setProperty(BoundPrometheusReporterFactory.PORT, port);
    return new BoundPrometheusReporterFactory().createMetricReporter(config);
  }

  @Test
  void servesFlinkMetricsOnTheLoopbackAddressByDefault() throws Exception {
    BoundPrometheusReporter reporter = reporter(null, "0");
    try {
      SimpleCounter counter = new SimpleCounter();
      counter.inc(7);
      reporter.notifyOfAddedMetric(counter, "tradesInvalid", new ScopedGroup("taskmanager_job"));

      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + reporter.address().getPort() + "/metrics"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("flink_taskmanager_job_tradesInvalid 7.0");
      assertThat(reporter.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    } finally {
      reporter.close();
    }
  }

  @Test
  void aBadHostOrATakenPortIsAnErrorNamingTheSetting() throws Exception {
    assertThatThrownBy(() -> reporter("localhost", "0"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("PAPERTAPE_BIND_ADDRESS");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThatThrownBy(() -> reporter("127.0.0.1", Integer.toString(taken.getLocalPort())))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("PAPERTAPE_FLINK_PROMETHEUS_PORT");
    }
  }

  /** The smallest metric group with a logical scope, as Flink's reporters need. */
  private static final class ScopedGroup extends UnregisteredMetricsGroup
      implements LogicalScopeProvider {
    private final String scope;

    ScopedGroup(String scope) {
      this.scope = scope;
    }

    @Override
    public String getLogicalScope(CharacterFilter filter) {
      return getLogicalScope(filter, '.');
    }

    @Override
    public String getLogicalScope(CharacterFilter filter, char delimiter) {
      return filter.filterCharacters(scope);
    }

    @Override
    public MetricGroup getWrappedMetricGroup() {
      return this;
    }
  }
}
