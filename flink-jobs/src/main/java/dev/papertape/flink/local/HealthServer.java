package dev.papertape.flink.local;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code GET /healthz}: 200 when the supplier says healthy, 503 otherwise; a JSON body either way.
 */
final class HealthServer implements AutoCloseable {
  /** A health verdict and its JSON body. */
  record Health(boolean up, String json) {}

  private final HttpServer server;
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "healthz");
            t.setDaemon(true);
            return t;
          });

  HealthServer(int port, Supplier<Health> health) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
    server.setExecutor(executor);
    server.createContext(
        "/healthz",
        exchange -> {
          Health h = health.get();
          byte[] body = h.json().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(h.up() ? 200 : 503, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
