package dev.papertape.flink.local;

import com.sun.net.httpserver.HttpServer;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;

/**
 * Flink's Prometheus reporter, served on one address. Flink 2.2's own {@code PrometheusReporter}
 * always listens on every interface ({@code new InetSocketAddress(port)}) and has no host option;
 * this one keeps all of Flink's metric-to-Prometheus translation ({@link
 * AbstractPrometheusReporter}) and serves the same registry with the same HTTP exporter on {@code
 * PAPERTAPE_BIND_ADDRESS}.
 */
public final class BoundPrometheusReporter extends AbstractPrometheusReporter {
  private final HttpServer http;
  private final HTTPServer server;

  BoundPrometheusReporter(InetAddress host, int port) {
    try {
      this.http = HttpServer.create(new InetSocketAddress(host, port), 3);
      this.server = new HTTPServer(http, registry(this), true);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot serve Prometheus metrics on "
              + host.getHostAddress()
              + ":"
              + port
              + " (PAPERTAPE_BIND_ADDRESS, PAPERTAPE_FLINK_PROMETHEUS_PORT)",
          e);
    }
    log.info("Prometheus metrics on {}/metrics", http.getAddress());
  }

  /** The bound address and port. */
  public InetSocketAddress address() {
    return http.getAddress();
  }

  @Override
  public void close() {
    server.stop();
    super.close();
  }

  /**
   * The registry Flink's base class fills. It is package-private there, with no accessor; if a
   * Flink upgrade renames it, the reporter fails at start with this message (and {@code
   * BoundPrometheusReporterTest} fails in the build).
   */
  private static CollectorRegistry registry(AbstractPrometheusReporter reporter) {
    try {
      Field f = AbstractPrometheusReporter.class.getDeclaredField("registry");
      f.setAccessible(true);
      return (CollectorRegistry) f.get(reporter);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "Flink's AbstractPrometheusReporter no longer has a readable field 'registry' (was Flink"
              + " upgraded?): adapt dev.papertape.flink.local.BoundPrometheusReporter",
          e);
    }
  }
}
