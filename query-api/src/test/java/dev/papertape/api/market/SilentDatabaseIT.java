package dev.papertape.api.market;

import dev.papertape.api.RealInfrastructure;
import dev.papertape.testing.TradeFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A database that takes connections and never answers (a hung server, a proxy whose backend is
 * gone): the API's R2DBC URL points at a local socket that completes the TCP handshake and then
 * stays silent. A request must not wait for it: the pool's connect and acquire timeouts ({@code
 * PAPERTAPE_DB_CONNECT_TIMEOUT}, {@code PAPERTAPE_DB_ACQUIRE_TIMEOUT}) turn it into a prompt 503
 * {@code database-unavailable}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class SilentDatabaseIT {
  static final RealInfrastructure INFRA = new RealInfrastructure();

  /** Listens (the kernel completes handshakes into its backlog) but never reads or answers. */
  static final ServerSocket SILENT = silent();

  @Autowired WebTestClient client;

  @DynamicPropertySource
  static void silentDatabase(DynamicPropertyRegistry r) {
    INFRA.register(r);
    r.add(
        "spring.r2dbc.url",
        () -> "r2dbc:postgresql://127.0.0.1:" + SILENT.getLocalPort() + "/papertape");
    r.add("spring.flyway.enabled", () -> "false");
  }

  private static ServerSocket silent() {
    try {
      return new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  static void close() throws IOException {
    SILENT.close();
  }

  @Test
  void databaseRoutesAnswer503Promptly() {
    DatabaseUnavailable.expect(client, "/symbols");
    DatabaseUnavailable.expect(client, "/metrics");
    DatabaseUnavailable.expect(client, "/symbols/AAPL/history");
    DatabaseUnavailable.expect(client, "/symbols/" + TradeFixtures.uniqueSymbol("Q") + "/price");
  }
}
