package dev.papertape.api.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.papertape.api.RealInfrastructure;
import dev.papertape.testing.TestDatabase;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The API on the real test TimescaleDB and a real Kafka broker: migrations and health. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class QueryApiHealthIT {
  @Autowired WebTestClient client;
  @Autowired Environment env;
  @LocalServerPort int port;

  @DynamicPropertySource
  static void realInfrastructure(DynamicPropertyRegistry r) {
    new RealInfrastructure().register(r);
  }

  @Test
  void healthzIsUpWhenDatabaseAndKafkaAre() {
    // /healthz is DOWN (503) until every stream consumer has its partitions, which can take a
    // moment after the context started: wait for that, then everything must say UP
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> client.get().uri("/healthz").exchange().expectStatus().isOk());
    client
        .get()
        .uri("/healthz")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .json("{\"status\":\"UP\"}");
    client
        .get()
        .uri("/actuator/health")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.components.r2dbc.status")
        .isEqualTo("UP")
        .jsonPath("$.components.kafka.status")
        .isEqualTo("UP")
        .jsonPath("$.components.streams.status")
        .isEqualTo("UP")
        // secure default: components are listed, their details only for an authorised caller
        // (there is none without Spring Security), so no broker or database addresses leak
        .jsonPath("$.components.kafka.details")
        .doesNotExist()
        .jsonPath("$.components.r2dbc.details")
        .doesNotExist()
        .jsonPath("$.components.streams.details")
        .doesNotExist();
    client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
  }

  @Test
  void listensOnTheLoopbackInterfaceOnlyByDefault() throws Exception {
    assertThat(env.getProperty("server.address")).isEqualTo("127.0.0.1");
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      assertThat(s.isConnected()).isTrue();
    }
    // every other address of this host refuses the connection
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (!a.isLoopbackAddress() && a instanceof Inet4Address) {
          assertThatThrownBy(
                  () -> {
                    try (Socket s = new Socket()) {
                      s.connect(new InetSocketAddress(a, port), 2000);
                    }
                  })
              .as("port %d on %s", port, a)
              .isInstanceOf(ConnectException.class);
        }
      }
    }
  }

  @Test
  void flywayAppliedTheProjectSchemaAtStart() {
    List<Map<String, Object>> applied =
        TestDatabase.query(
            "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank");
    assertThat(applied).extracting(r -> r.get("version")).contains("1", "2", "3");
    assertThat(
            TestDatabase.query("SELECT hypertable_name FROM timescaledb_information.hypertables"))
        .extracting(r -> r.get("hypertable_name"))
        .contains("trades", "aggregated_metrics");
    assertThat(
            TestDatabase.query(
                "SELECT symbol FROM symbols WHERE exchange = 'NASDAQ' ORDER BY symbol"))
        .extracting(r -> r.get("symbol"))
        .containsExactly("AAPL", "GOOGL", "MSFT", "TSLA");
  }

  @Test
  void prometheusScrapeEndpointIsExposed() {
    client
        .get()
        .uri("/actuator/prometheus")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .value(b -> assertThat(b).contains("jvm_memory_used_bytes"));
  }
}
