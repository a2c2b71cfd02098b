package dev.papertape.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code GET /healthz} of the processes that are not Spring applications (market feed, embedded
 * Flink), on their own address and port with the JDK's HTTP server and one daemon thread: 200 when
 * the process says it is healthy, 503 otherwise, a JSON body either way. Other paths answer 404,
 * other methods 405. It listens on one address only: {@link BindAddress} ({@code
 * PAPERTAPE_BIND_ADDRESS}, loopback by default), never on every interface unless told to.
 */
public final class HealthServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A health verdict and its JSON body. */
  public record Health(boolean up, byte[] json) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final Supplier<Health> health;

  private HealthServer(HttpServer server, ExecutorService executor, Supplier<Health> health) {
    this.server = server;
    this.executor = executor;
    this.health = health;
  }

  /**
   * Starts serving on {@code port} (0 = any free port) of the loopback address {@code 127.0.0.1}.
   *
   * @throws IOException when the port cannot be bound
   */
  public static HealthServer start(int port, Supplier<Health> health) throws IOException {
    return start(BindAddress.loopback(), port, health);
  }

  /**
   * Starts serving on {@code port} (0 = any free port) of {@code address} (see {@link
   * BindAddress}).
   *
   * @throws IOException when the address and port cannot be bound
   */
  public static HealthServer start(InetAddress address, int port, Supplier<Health> health)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 16);
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "healthz");
              t.setDaemon(true);
              return t;
            });
    HealthServer h = new HealthServer(server, executor, health);
    server.createContext("/", h::handle);
    server.setExecutor(executor);
    server.start();
    return h;
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The bound address and port. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** JSON bytes of a value (for health bodies). */
  public static byte[] json(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a health body", e);
    }
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
      Health h = health.get();
      respond(exchange, h.up() ? 200 : 503, h.json());
    }
  }

  private static byte[] error(String message) {
    return json(JSON.createObjectNode().put("error", message));
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
