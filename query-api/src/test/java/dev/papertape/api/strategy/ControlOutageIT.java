package dev.papertape.api.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.papertape.api.RealInfrastructure;
import dev.papertape.api.security.TestUsers;
import dev.papertape.kafka.Topics;
import dev.papertape.strategy.ControlEvent;
import dev.papertape.testing.KafkaTestBroker;
import dev.papertape.testing.TestDatabase;
import dev.papertape.testing.TradeFixtures;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Kafka not acknowledging a control event: the write answers 503 control-unavailable, the change is
 * stored and marked pending, and the republisher publishes it once Kafka takes events again.
 *
 * <p>The outage is the real broker refusing the writes, not a stub: the control topic is created
 * with {@code max.message.bytes=1}, so the broker refuses every batch (MESSAGE_TOO_LARGE) until the
 * test removes that override ("Kafka is back").
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "papertape.strategies.publish-timeout=1s",
      "papertape.strategies.republish-interval=200ms",
      "papertape.strategies.republish-delay=0s"
    })
@AutoConfigureWebTestClient
@DirtiesContext // its 200 ms republisher must not take other tests' pending rows afterwards
class ControlOutageIT {
  static final RealInfrastructure INFRA = new RealInfrastructure();
  static final String CONTROL = KafkaTestBroker.uniqueTopic("strategy-control");
  static final String PW = "outage-user-pw";
  static final String SYM = TradeFixtures.uniqueSymbol("C");

  @Autowired WebTestClient client;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry r) {
    INFRA.register(r);
    r.add("papertape.strategies.control-topic", () -> CONTROL);
  }

  @BeforeAll
  static void market() throws Exception {
    TestDatabase.execute("INSERT INTO symbols (symbol, name) VALUES ('" + SYM + "', 'Outage')");
    Map<String, String> config = new HashMap<>(Topics.compacted());
    config.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1"); // the broker refuses every batch
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(CONTROL, 1, (short) 1).configs(config))).all().get();
    }
  }

  static Admin admin() {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrap()));
  }

  /** Kafka takes the control topic's writes again. */
  static void kafkaIsBack() throws Exception {
    try (Admin admin = admin()) {
      admin
          .incrementalAlterConfigs(
              Map.of(
                  new ConfigResource(ConfigResource.Type.TOPIC, CONTROL),
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, ""),
                          AlterConfigOp.OpType.DELETE))))
          .all()
          .get();
    }
  }

  JsonNode post(String user, String body, int status) throws Exception {
    EntityExchangeResult<String> r =
        client
            .post()
            .uri("/strategies")
            .headers(h -> h.setBasicAuth(user, PW))
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body)
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody(String.class)
            .returnResult();
    return new ObjectMapper().readTree(r.getResponseBody());
  }

  @Test
  void aChangeKafkaDidNotTakeIsStoredPendingAndPublishedLater() throws Exception {
    String user = TestUsers.uniqueName("outage");
    TestUsers.create(user, PW);
    String id = "outage-" + System.nanoTime();
    String body =
        "{\"id\":\"" + id + "\",\"strategy\":\"volume-spike\",\"symbols\":[\"" + SYM + "\"]}";

    JsonNode problem = post(user, body, 503);
    assertThat(problem.path("type").asText())
        .isEqualTo("https://papertape.dev/problems/control-unavailable");
    assertThat(problem.path("id").asText()).isEqualTo(id);
    assertThat(
            TestDatabase.query("SELECT active, control_pending FROM strategies WHERE id = ?", id)
                .get(0))
        .containsEntry("active", true)
        .containsEntry("control_pending", true);

    kafkaIsBack();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Boolean.FALSE.equals(
                    TestDatabase.query("SELECT control_pending FROM strategies WHERE id = ?", id)
                        .get(0)
                        .get("control_pending")));
    String key = ControlEvent.STRATEGY + "/" + id;
    List<ControlEvent> events =
        StrategiesIT.controlEventsOf(
            CONTROL, l -> StrategiesIT.count(l, e -> e.key().equals(key)) >= 1);
    assertThat(events.stream().filter(e -> e.key().equals(key)).findFirst().orElseThrow())
        .isInstanceOf(ControlEvent.ActivateStrategy.class);

    // repeating the request is safe: the same instance, replaced (200)
    assertThat(post(user, body, 200).path("controlPending").asBoolean()).isFalse();
  }
}
