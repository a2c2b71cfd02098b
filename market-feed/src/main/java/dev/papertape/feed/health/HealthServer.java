package dev.papertape.feed.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.papertape.feed.FeedStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code GET /healthz} on its own port (the JDK's HTTP server, one thread): 200 with {@code
 * {"status":"UP","mode":"simulate","produced":N,"lastError":null}} while the feed produces without
 * a fatal error, 503 with the same shape otherwise (starting, stopping, or down with {@code
 * lastError}). Other paths answer 404, other methods 405.
 */
public final class HealthServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final FeedStatus status;

  private HealthServer(HttpServer server, ExecutorService executor, FeedStatus status) {
    this.server = server;
    this.executor = executor;
    this.status = status;
  }

  /**
   * Starts serving on {@code port} (0 = any free port) on all interfaces.
   *
   * @throws IOException when the port cannot be bound
   */
  public static HealthServer start(int port, FeedStatus status) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "healthz");
              t.setDaemon(true);
              return t;
            });
    HealthServer health = new HealthServer(server, executor, status);
    server.createContext("/", health::handle);
    server.setExecutor(executor);
    server.start();
    return health;
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (!path.equals("/healthz")) {
        respond(exchange, 404, error("not found: try GET /healthz"));
        return;
      }
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        respond(exchange, 405, error("method not allowed: use GET"));
        return;
      }
      respond(exchange, status.healthy() ? 200 : 503, body(status));
    }
  }

  /** The JSON body for a status. */
  static byte[] body(FeedStatus status) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.put("status", status.state().name());
    o.put("mode", status.mode());
    o.put("produced", status.produced());
    o.put("lastError", status.lastError());
    return JSON.writeValueAsBytes(o);
  }

  private static byte[] error(String message) throws IOException {
    return JSON.writeValueAsBytes(JSON.createObjectNode().put("error", message));
  }

  private static void respond(HttpExchange exchange, int code, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(code, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
