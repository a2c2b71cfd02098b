package dev.papertape.api.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.papertape.api.RealInfrastructure;
import dev.papertape.api.portfolio.matching.PortfolioEvents;
import dev.papertape.api.security.TestUsers;
import dev.papertape.strategy.ControlEvent;
import dev.papertape.strategy.ControlEventCodec;
import dev.papertape.strategy.Sizing;
import dev.papertape.testing.KafkaTestBroker;
import dev.papertape.testing.TestDatabase;
import dev.papertape.testing.TradeFixtures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;

/**
 * Strategies and alert rules over HTTP on the real test TimescaleDB and Kafka: CRUD, validation
 * problems, isolation between users, the control events on the compacted topic (decoded with the
 * signals job's codec), the republish at start, the signals query, alerts on the owner's portfolio
 * stream, and auto-execution exactly once per signal.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"papertape.strategies.max-active=3"})
@AutoConfigureWebTestClient
class StrategiesIT {
  static final RealInfrastructure INFRA = new RealInfrastructure();
  static final String CONTROL = KafkaTestBroker.uniqueTopic("strategy-control");
  static final String PW = "strategy-user-pw";
  static final String SYM = TradeFixtures.uniqueSymbol("S");
  static final String T = "https://papertape.dev/problems/";
  static final ObjectMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
  static final ControlEventCodec CODEC = new ControlEventCodec();

  @Autowired WebTestClient client;
  @Autowired ControlRepublisher republisher;
  @Autowired SignalCatchUp catchUp;
  @Autowired PortfolioEvents portfolioEvents;
  @Autowired MeterRegistry registry;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry r) {
    INFRA.register(r);
    r.add("papertape.strategies.control-topic", () -> CONTROL);
  }

  @BeforeAll
  static void market() {
    TestDatabase.execute(
        "INSERT INTO symbols (symbol, name) VALUES ('" + SYM + "', 'Strategy Corp')");
    freshPrice();
  }

  /** A trade of SYM at 100.00 a second ago: a fresh price for market orders. */
  static void freshPrice() {
    TestDatabase.execute(
        "INSERT INTO trades (ts, symbol, trade_id, price, size, source) VALUES"
            + " (now() - interval '1 second', '"
            + SYM
            + "', 'st-"
            + UUID.randomUUID()
            + "', 100.00, 1, 'test')");
  }

  record Answer(int status, JsonNode body, HttpHeaders headers) {
    String type() {
      return body.path("type").asText();
    }
  }

  static String user() {
    String name = TestUsers.uniqueName("strat");
    TestUsers.create(name, PW);
    return name;
  }

  Answer call(String user, HttpMethod method, String uri, String body) {
    WebTestClient.RequestBodySpec spec =
        client
            .method(method)
            .uri(uri)
            .headers(
                h -> {
                  if (user != null) {
                    h.setBasicAuth(user, PW);
                  }
                });
    WebTestClient.ResponseSpec rs =
        body == null
            ? spec.exchange()
            : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    EntityExchangeResult<String> r = rs.expectBody(String.class).returnResult();
    JsonNode json;
    try {
      json = r.getResponseBody() == null ? JSON.nullNode() : JSON.readTree(r.getResponseBody());
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + r.getResponseBody(), e);
    }
    return new Answer(r.getStatus().value(), json, r.getResponseHeaders());
  }

  Answer post(String user, String uri, String body) {
    return call(user, HttpMethod.POST, uri, body);
  }

  Answer get(String user, String uri) {
    return call(user, HttpMethod.GET, uri, null);
  }

  Answer delete(String user, String uri) {
    return call(user, HttpMethod.DELETE, uri, null);
  }

  static String vwap(String id, String extra) {
    return "{"
        + (id == null ? "" : "\"id\":\"" + id + "\",")
        + "\"strategy\":\"vwap-deviation\",\"params\":{\"lookback\":20,\"thresholdPct\":\"0.5\"},"
        + "\"symbols\":[\""
        + SYM.toLowerCase(java.util.Locale.ROOT)
        + "\"]"
        + extra
        + "}";
  }

  static String uid(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The control events on the topic, decoded, until {@code done} holds for them (or 30 s). */
  static List<ControlEvent> controlEvents(Predicate<List<ControlEvent>> done) {
    return controlEventsOf(CONTROL, done);
  }

  static List<ControlEvent> controlEventsOf(String topic, Predicate<List<ControlEvent>> done) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrap());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<ControlEvent> out = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(List.of(topic));
      while (!done.test(out) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          out.add(CODEC.decode(r.key(), r.value()));
        }
      }
    }
    return out;
  }

  static long count(List<ControlEvent> events, Predicate<ControlEvent> p) {
    return events.stream().filter(p).count();
  }

  // ---- strategies

  @Test
  void typesListTheRegistryParameters() {
    Answer a = get(user(), "/strategies/types");
    assertThat(a.status()).isEqualTo(200);
    JsonNode vwap = null;
    for (JsonNode t : a.body()) {
      if (t.path("name").asText().equals("vwap-deviation")) {
        vwap = t;
      }
    }
    assertThat(vwap).isNotNull();
    List<String> names = new ArrayList<>();
    vwap.path("parameters").forEach(p -> names.add(p.path("name").asText()));
    assertThat(names).contains("window", "lookback", "thresholdPct");
  }

  @Test
  void activateListGetDeactivateAndTheControlEvents() {
    String alice = user();
    String id = uid("vwap");
    Answer created = post(alice, "/strategies", vwap(id, ""));
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    assertThat(created.body().path("id").asText()).isEqualTo(id);
    assertThat(created.body().path("symbols").get(0).asText()).isEqualTo(SYM);
    assertThat(created.body().path("params").path("lookback").asText()).isEqualTo("20");
    assertThat(created.body().path("params").path("window").asText()).isEqualTo("1m");
    assertThat(created.body().path("active").asBoolean()).isTrue();
    assertThat(created.body().path("controlPending").asBoolean()).isFalse();

    assertThat(get(alice, "/strategies").body().findValuesAsText("id")).containsExactly(id);
    assertThat(get(alice, "/strategies/" + id).body().path("strategy").asText())
        .isEqualTo("vwap-deviation");

    // the same id again: re-configured (200), still one instance
    Answer again =
        post(alice, "/strategies", vwap(id, "").replace("\"lookback\":20", "\"lookback\":30"));
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body().path("params").path("lookback").asText()).isEqualTo("30");

    Answer off = delete(alice, "/strategies/" + id);
    assertThat(off.status()).isEqualTo(200);
    assertThat(off.body().path("active").asBoolean()).isFalse();
    assertThat(off.body().path("deactivatedAt").isNull()).isFalse();
    assertThat(post(alice, "/strategies/" + id + "/deactivate", null).status()).isEqualTo(200);
    assertThat(get(alice, "/strategies/" + id).body().path("active").asBoolean()).isFalse();

    String key = ControlEvent.STRATEGY + "/" + id;
    List<ControlEvent> events =
        controlEvents(
            l ->
                count(l, e -> e.key().equals(key) && e instanceof ControlEvent.DeactivateStrategy)
                    >= 2);
    List<ControlEvent> mine = events.stream().filter(e -> e.key().equals(key)).toList();
    assertThat(mine).hasSize(4);
    ControlEvent.ActivateStrategy first = (ControlEvent.ActivateStrategy) mine.get(0);
    assertThat(first.strategy()).isEqualTo("vwap-deviation");
    assertThat(first.owner()).isEqualTo(alice);
    assertThat(first.symbols()).containsExactly(SYM);
    assertThat(first.params())
        .containsEntry("lookback", "20")
        .containsEntry("thresholdPct", "0.5")
        .containsEntry("window", "1m");
    assertThat(((ControlEvent.ActivateStrategy) mine.get(1)).params())
        .containsEntry("lookback", "30");
    assertThat(mine.get(2)).isEqualTo(new ControlEvent.DeactivateStrategy(id));
    assertThat(mine.get(3)).isEqualTo(new ControlEvent.DeactivateStrategy(id));
  }

  @Test
  void anIdIsGeneratedWhenOmitted() {
    Answer a =
        post(
            user(),
            "/strategies",
            vwap(null, ",\"symbols\":\"all\"")
                .replace(",\"symbols\":[\"" + SYM.toLowerCase(java.util.Locale.ROOT) + "\"]", ""));
    assertThat(a.status()).as(a.body().toString()).isEqualTo(201);
    assertThat(a.body().path("id").asText()).matches("s-[a-z0-9]{12}");
    assertThat(a.body().path("allSymbols").asBoolean()).isTrue();
  }

  @Test
  void validationProblemsNameTheParameter() {
    String u = user();
    Answer badParam =
        post(u, "/strategies", vwap(uid("v"), "").replace("\"lookback\":20", "\"lookback\":0"));
    assertThat(badParam.status()).isEqualTo(422);
    assertThat(badParam.type()).isEqualTo(T + "invalid-strategy-parameter");
    assertThat(badParam.body().path("parameter").asText()).isEqualTo("params.lookback");

    Answer unknownParam =
        post(u, "/strategies", vwap(uid("v"), "").replace("\"lookback\":20", "\"lookbak\":20"));
    assertThat(unknownParam.status()).isEqualTo(422);
    assertThat(unknownParam.body().path("parameter").asText()).isEqualTo("params.lookbak");

    Answer unknownType =
        post(u, "/strategies", vwap(uid("v"), "").replace("vwap-deviation", "moon"));
    assertThat(unknownType.status()).isEqualTo(400);
    assertThat(unknownType.type()).isEqualTo(T + "invalid-parameter");
    assertThat(unknownType.body().path("parameter").asText()).isEqualTo("strategy");

    Answer noSizing = post(u, "/strategies", vwap(uid("v"), ",\"autoExecute\":true"));
    assertThat(noSizing.status()).isEqualTo(400);
    assertThat(noSizing.body().path("parameter").asText()).isEqualTo("sizing");

    Answer badSizing =
        post(
            u,
            "/strategies",
            vwap(
                uid("v"),
                ",\"autoExecute\":true,\"sizing\":{\"mode\":\"quantity\",\"value\":0.5}"));
    assertThat(badSizing.status()).isEqualTo(400);
    assertThat(badSizing.body().path("parameter").asText()).isEqualTo("sizing.value");

    Answer unknownField = post(u, "/strategies", vwap(uid("v"), ",\"owner\":\"mallory\""));
    assertThat(unknownField.status()).isEqualTo(400);
    assertThat(unknownField.body().path("parameter").asText()).isEqualTo("owner");

    Answer badId = post(u, "/strategies", vwap("-bad id", ""));
    assertThat(badId.status()).isEqualTo(400);
    assertThat(badId.body().path("parameter").asText()).isEqualTo("id");

    Answer unknownSymbol =
        post(
            u,
            "/strategies",
            vwap(uid("v"), "").replace(SYM.toLowerCase(java.util.Locale.ROOT), "nosuch"));
    assertThat(unknownSymbol.status()).isEqualTo(404);
    assertThat(unknownSymbol.type()).isEqualTo(T + "unknown-symbol");

    Answer notJson = post(u, "/strategies", "{");
    assertThat(notJson.status()).isEqualTo(400);

    assertThat(get(u, "/strategies").body()).isEmpty();
    assertThat(get(null, "/strategies").status()).isEqualTo(401);
    assertThat(post(null, "/strategies", vwap(uid("v"), "")).status()).isEqualTo(401);
  }

  @Test
  void atMostMaxActiveInstancesPerUser() {
    String u = user();
    for (int i = 0; i < 3; i++) {
      assertThat(post(u, "/strategies", vwap(null, "")).status()).isEqualTo(201);
    }
    Answer fourth = post(u, "/strategies", vwap(null, ""));
    assertThat(fourth.status()).isEqualTo(422);
    assertThat(fourth.type()).isEqualTo(T + "too-many-active");
  }

  @Test
  void usersSeeAndChangeOnlyTheirOwn() {
    String alice = user();
    String bob = user();
    String id = uid("own");
    assertThat(post(alice, "/strategies", vwap(id, "")).status()).isEqualTo(201);

    Answer get = get(bob, "/strategies/" + id);
    assertThat(get.status()).isEqualTo(404);
    assertThat(get.type()).isEqualTo(T + "strategy-not-found");
    assertThat(delete(bob, "/strategies/" + id).status()).isEqualTo(404);
    assertThat(post(bob, "/strategies/" + id + "/deactivate", null).status()).isEqualTo(404);
    assertThat(get(bob, "/strategies/" + id + "/signals").status()).isEqualTo(404);
    Answer taken = post(bob, "/strategies", vwap(id, ""));
    assertThat(taken.status()).isEqualTo(409);
    assertThat(taken.type()).isEqualTo(T + "id-taken");
    assertThat(get(bob, "/strategies").body()).isEmpty();

    assertThat(get(alice, "/strategies/" + id).body().path("active").asBoolean()).isTrue();
    assertThat(get(alice, "/strategies/nosuch").status()).isEqualTo(404);
  }

  // ---- signals query

  @Test
  void signalsOfAnInstanceNewestFirstPagedAndInRange() {
    String u = user();
    String id = uid("sig");
    assertThat(post(u, "/strategies", vwap(id, "")).status()).isEqualTo(201);
    Instant t0 = Instant.parse("2026-11-25T14:00:00Z");
    for (int i = 0; i < 5; i++) {
      TestDatabase.execute(
          "INSERT INTO signals (ts, id, kind, symbol, source, side, price, reason) VALUES ('"
              + t0.plus(i, ChronoUnit.MINUTES)
              + "', 'q-"
              + id
              + "-"
              + i
              + "', 'SIGNAL', '"
              + SYM
              + "', '"
              + id
              + "', 'BUY', 10"
              + i
              + ".5, 'test')");
    }
    // another source's signal is not listed
    TestDatabase.execute(
        "INSERT INTO signals (ts, id, kind, symbol, source, side, price) VALUES ('"
            + t0
            + "', 'other-"
            + id
            + "', 'SIGNAL', '"
            + SYM
            + "', 'other-"
            + id
            + "', 'SELL', 1)");

    Answer all = get(u, "/strategies/" + id + "/signals");
    assertThat(all.status()).isEqualTo(200);
    assertThat(all.body().path("signals").findValuesAsText("id"))
        .containsExactly(
            "q-" + id + "-4",
            "q-" + id + "-3",
            "q-" + id + "-2",
            "q-" + id + "-1",
            "q-" + id + "-0");
    JsonNode s = all.body().path("signals").get(0);
    assertThat(s.path("price").decimalValue()).isEqualByComparingTo("104.5");
    assertThat(s.path("side").asText()).isEqualTo("BUY");
    assertThat(s.path("ts").asText()).isEqualTo("2026-11-25T14:04:00.000Z");
    assertThat(all.body().has("next")).isFalse();

    Answer page1 =
        get(
            u,
            "/strategies/"
                + id
                + "/signals?limit=2&from=2026-11-25T14:01:00Z&to=2026-11-25T14:05:00Z");
    assertThat(page1.body().path("signals").findValuesAsText("id"))
        .containsExactly("q-" + id + "-4", "q-" + id + "-3");
    String next = page1.body().path("next").asText();
    Answer page2 = get(u, next);
    assertThat(page2.body().path("signals").findValuesAsText("id"))
        .containsExactly("q-" + id + "-2", "q-" + id + "-1");
    Answer page3 = get(u, page2.body().path("next").asText());
    assertThat(page3.body().path("signals")).isEmpty();

    Answer range =
        get(u, "/strategies/" + id + "/signals?from=2026-11-25T15:00:00Z&to=2026-11-25T14:00:00Z");
    assertThat(range.status()).isEqualTo(400);
    assertThat(range.body().path("parameter").asText()).isEqualTo("from");
    Answer badCursor = get(u, "/strategies/" + id + "/signals?cursor=zzz");
    assertThat(badCursor.status()).isEqualTo(400);
    assertThat(badCursor.body().path("parameter").asText()).isEqualTo("cursor");
    Answer badLimit = get(u, "/strategies/" + id + "/signals?limit=0");
    assertThat(badLimit.status()).isEqualTo(400);
  }

  // ---- republish

  @Test
  void republishPublishesEveryActiveRowAndThePendingOnes() {
    String u = user();
    long userId =
        ((Number) TestDatabase.query("SELECT id FROM users WHERE name = ?", u).get(0).get("id"))
            .longValue();
    String id = uid("lost");
    // a row whose event never reached Kafka (as when Kafka was down at the write)
    TestDatabase.execute(
        "INSERT INTO strategies (id, user_id, strategy, params, symbols, auto_execute,"
            + " sizing_mode, sizing_value, control_pending) VALUES ('"
            + id
            + "', "
            + userId
            + ", 'vwap-deviation', '{\"lookback\":\"20\",\"thresholdPct\":\"0.5\",\"window\":\"1m\"}',"
            + " ARRAY['"
            + SYM
            + "'], true, 'quantity', 5, true)");
    String rule = uid("lostrule");
    TestDatabase.execute(
        "INSERT INTO alert_rules (id, user_id, symbol, field, op, threshold, \"window\","
            + " active, control_pending, removed_at) VALUES ('"
            + rule
            + "', "
            + userId
            + ", '"
            + SYM
            + "', 'price', '>', 200, '1m', false, true, now())");

    assertThat(republisher.pass(true).block()).isZero();

    String key = ControlEvent.STRATEGY + "/" + id;
    String ruleKey = ControlEvent.ALERT_RULE + "/" + rule;
    List<ControlEvent> events =
        controlEvents(
            l ->
                count(l, e -> e.key().equals(key)) >= 1
                    && count(l, e -> e.key().equals(ruleKey)) >= 1);
    ControlEvent.ActivateStrategy a =
        (ControlEvent.ActivateStrategy)
            events.stream().filter(e -> e.key().equals(key)).findFirst().orElseThrow();
    assertThat(a.autoExecute()).isTrue();
    assertThat(a.sizing()).isEqualTo(new Sizing(Sizing.Mode.QUANTITY, BigDecimal.valueOf(5)));
    assertThat(a.owner()).isEqualTo(u);
    assertThat(events.stream().filter(e -> e.key().equals(ruleKey)).findFirst().orElseThrow())
        .isEqualTo(new ControlEvent.RemoveAlertRule(rule));
    assertThat(
            TestDatabase.query("SELECT control_pending FROM strategies WHERE id = ?", id)
                .get(0)
                .get("control_pending"))
        .isEqualTo(false);

    // a full pass publishes every active row again, so the compacted topic matches the tables
    assertThat(republisher.pass(true).block()).isZero();
    assertThat(
            controlEvents(l -> count(l, e -> e.key().equals(key)) >= 2).stream()
                .filter(e -> e.key().equals(key))
                .count())
        .isGreaterThanOrEqualTo(2);
  }

  // ---- alert rules

  @Test
  void alertRulesCrudIsolationAndControlEvents() {
    String alice = user();
    String bob = user();
    Answer created =
        post(
            alice,
            "/alerts/rules",
            "{\"symbol\":\"" + SYM + "\",\"field\":\"price\",\"op\":\">\",\"threshold\":200}");
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    String id = created.body().path("id").asText();
    assertThat(id).matches("r-[a-z0-9]{12}");
    assertThat(created.body().path("window").asText()).isEqualTo("1m");
    assertThat(created.body().path("threshold").decimalValue()).isEqualByComparingTo("200");

    assertThat(get(alice, "/alerts/rules").body().findValuesAsText("id")).containsExactly(id);
    assertThat(get(alice, "/alerts/rules/" + id).body().path("op").asText()).isEqualTo(">");
    assertThat(get(bob, "/alerts/rules/" + id).status()).isEqualTo(404);
    assertThat(get(bob, "/alerts/rules/" + id).type()).isEqualTo(T + "alert-rule-not-found");
    assertThat(delete(bob, "/alerts/rules/" + id).status()).isEqualTo(404);
    assertThat(get(bob, "/alerts/rules").body()).isEmpty();

    Answer badOp =
        post(
            alice,
            "/alerts/rules",
            "{\"symbol\":\"" + SYM + "\",\"field\":\"price\",\"op\":\">=\",\"threshold\":200}");
    assertThat(badOp.status()).isEqualTo(400);
    assertThat(badOp.body().path("parameter").asText()).isEqualTo("op");
    Answer badThreshold =
        post(
            alice,
            "/alerts/rules",
            "{\"symbol\":\"" + SYM + "\",\"field\":\"volume\",\"op\":\">\",\"threshold\":1.5}");
    assertThat(badThreshold.status()).isEqualTo(400);
    assertThat(badThreshold.body().path("parameter").asText()).isEqualTo("threshold");

    Answer removed = delete(alice, "/alerts/rules/" + id);
    assertThat(removed.status()).isEqualTo(200);
    assertThat(removed.body().path("active").asBoolean()).isFalse();

    String key = ControlEvent.ALERT_RULE + "/" + id;
    List<ControlEvent> mine =
        controlEvents(l -> count(l, e -> e.key().equals(key)) >= 2).stream()
            .filter(e -> e.key().equals(key))
            .toList();
    assertThat(mine).hasSize(2);
    ControlEvent.AddAlertRule add = (ControlEvent.AddAlertRule) mine.get(0);
    assertThat(add.owner()).isEqualTo(alice);
    assertThat(add.rule().symbol()).isEqualTo(SYM);
    assertThat(add.rule().threshold()).isEqualByComparingTo("200");
    assertThat(mine.get(1)).isEqualTo(new ControlEvent.RemoveAlertRule(id));
  }

  @Test
  void anAlertReachesItsOwnersPortfolioStream() {
    String u = user();
    assertThat(post(u, "/portfolio/init", "{\"startingCash\":1000}").status()).isEqualTo(201);
    long pid = get(u, "/portfolio").body().path("id").asLong();
    Answer rule =
        post(
            u,
            "/alerts/rules",
            "{\"symbol\":\"" + SYM + "\",\"field\":\"price\",\"op\":\">\",\"threshold\":50}");
    String ruleId = rule.body().path("id").asText();

    List<PortfolioEvents.Event> seen = new CopyOnWriteArrayList<>();
    Disposable sub = portfolioEvents.of(pid).subscribe(seen::add);
    try {
      String alertId = uid("alert");
      publishSignal(
          "{\"id\":\""
              + alertId
              + "\",\"kind\":\"ALERT\",\"symbol\":\""
              + SYM
              + "\",\"source\":\""
              + ruleId
              + "\",\"side\":null,\"price\":100,\"reason\":\"price > 50\",\"ts\":\""
              + Instant.now()
              + "\"}");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> seen.stream().anyMatch(e -> e.kind() == PortfolioEvents.Kind.ALERT));
      PortfolioEvents.Event e =
          seen.stream().filter(x -> x.kind() == PortfolioEvents.Kind.ALERT).findFirst().get();
      StrategyViews.Signal s = (StrategyViews.Signal) e.data();
      assertThat(s.id()).isEqualTo(alertId);
      assertThat(s.source()).isEqualTo(ruleId);
    } finally {
      sub.dispose();
    }
  }

  // ---- auto-execution

  static void publishSignal(String json) {
    KafkaTestBroker.produce(
        INFRA.signals,
        List.of(
            new ProducerRecord<>(
                INFRA.signals,
                SYM.getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8))));
  }

  static String signal(String id, String source, String side) {
    return "{\"id\":\""
        + id
        + "\",\"kind\":\"SIGNAL\",\"symbol\":\""
        + SYM
        + "\",\"source\":\""
        + source
        + "\",\"side\":\""
        + side
        + "\",\"price\":100,\"reason\":\"test\",\"ts\":\""
        + Instant.now().truncatedTo(ChronoUnit.MILLIS)
        + "\"}";
  }

  double outcomes(String outcome) {
    Counter c = registry.find("papertape.autoexecute.signals").tag("outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  static List<Map<String, Object>> orders(String user) {
    return TestDatabase.query(
        "SELECT o.id, o.side, o.quantity, o.status, o.idempotency_key FROM orders o"
            + " JOIN portfolios p ON p.id = o.portfolio_id JOIN users u ON u.id = p.user_id"
            + " WHERE u.name = ?",
        user);
  }

  static List<Map<String, Object>> fills(String user) {
    return TestDatabase.query(
        "SELECT t.quantity FROM paper_trades t JOIN portfolios p ON p.id = t.portfolio_id"
            + " JOIN users u ON u.id = p.user_id WHERE u.name = ?",
        user);
  }

  @Test
  void aSignalTradedTwiceFillsOnceAndASellWithNothingHeldDoesNotShort() {
    String u = user();
    assertThat(post(u, "/portfolio/init", "{\"startingCash\":10000}").status()).isEqualTo(201);
    String id = uid("auto");
    Answer s =
        post(
            u,
            "/strategies",
            vwap(id, ",\"autoExecute\":true,\"sizing\":{\"mode\":\"quantity\",\"value\":5}"));
    assertThat(s.status()).isEqualTo(201);
    assertThat(s.body().path("sizing").path("mode").asText()).isEqualTo("quantity");

    // a SELL with nothing held: no order, no short
    freshPrice();
    String sell = uid("sell");
    double skipped = outcomes("skipped");
    publishSignal(signal(sell, id, "SELL"));
    await().atMost(Duration.ofSeconds(30)).until(() -> outcomes("skipped") > skipped);
    assertThat(orders(u)).isEmpty();
    assertThat(
            TestDatabase.query("SELECT outcome FROM signal_orders WHERE signal_id = ?", sell)
                .get(0)
                .get("outcome"))
        .isEqualTo("skipped");

    // a BUY delivered twice: one order, one fill of 5
    freshPrice();
    String buy = uid("buy");
    double duplicates = outcomes("duplicate");
    publishSignal(signal(buy, id, "BUY"));
    publishSignal(signal(buy, id, "BUY"));
    await().atMost(Duration.ofSeconds(30)).until(() -> outcomes("duplicate") > duplicates);
    List<Map<String, Object>> orders = orders(u);
    assertThat(orders).hasSize(1);
    assertThat(orders.get(0).get("side")).isEqualTo("BUY");
    assertThat(((Number) orders.get(0).get("quantity")).longValue()).isEqualTo(5);
    assertThat(orders.get(0).get("status")).isEqualTo("FILLED");
    assertThat(orders.get(0).get("idempotency_key")).isEqualTo("signal-" + buy);
    assertThat(fills(u)).hasSize(1);
    Map<String, Object> rec =
        TestDatabase.query(
                "SELECT order_id::text AS order_id, outcome, quantity FROM signal_orders"
                    + " WHERE signal_id = ?",
                buy)
            .get(0);
    assertThat(rec.get("outcome")).isEqualTo("filled");
    assertThat(rec.get("order_id")).isEqualTo(orders.get(0).get("id").toString());
    assertThat(((Number) rec.get("quantity")).longValue()).isEqualTo(5);
    assertThat(get(u, "/portfolio").body().path("positions").get(0).path("quantity").asLong())
        .isEqualTo(5);

    // a SELL now sells what is held, at most
    freshPrice();
    String sell2 = uid("sell");
    publishSignal(signal(sell2, id, "SELL"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                !TestDatabase.query("SELECT 1 FROM signal_orders WHERE signal_id = ?", sell2)
                    .isEmpty());
    assertThat(orders(u)).hasSize(2);
    assertThat(get(u, "/portfolio").body().path("positions")).isEmpty();

    // a signal of an instance without autoExecute trades nothing
    String plain = uid("plain");
    assertThat(post(u, "/strategies", vwap(plain, "")).status()).isEqualTo(201);
    String other = uid("buy");
    publishSignal(signal(other, plain, "BUY"));
    // processed in order after it: a signal of the auto instance, refused for a stale price
    TestDatabase.execute("DELETE FROM trades WHERE symbol = '" + SYM + "'");
    String marker = uid("buy");
    double refused = outcomes("refused");
    publishSignal(signal(marker, id, "BUY"));
    await().atMost(Duration.ofSeconds(30)).until(() -> outcomes("refused") > refused);
    assertThat(TestDatabase.query("SELECT 1 FROM signal_orders WHERE signal_id = ?", other))
        .isEmpty();
    assertThat(
            TestDatabase.query("SELECT reason FROM signal_orders WHERE signal_id = ?", marker)
                .get(0)
                .get("reason"))
        .isEqualTo("stale-price");
    assertThat(orders(u)).hasSize(2);
    freshPrice();
  }

  /** A SIGNAL row as the signals job stores it, {@code age} ago. */
  static void storedSignal(String id, String source, String side, Duration age) {
    TestDatabase.query(
        "INSERT INTO signals (ts, id, kind, symbol, source, side, price, reason, stored_at)"
            + " VALUES (now() - ?::interval, ?, 'SIGNAL', ?, ?, ?, 100, 'test', now() - ?::interval)"
            + " RETURNING id",
        age.toSeconds() + " seconds",
        id,
        SYM,
        source,
        side,
        age.toSeconds() + " seconds");
  }

  @Test
  void signalsStoredWhileNoInstanceTradedThemAreCaughtUpOnce() {
    String u = user();
    assertThat(post(u, "/portfolio/init", "{\"startingCash\":10000}").status()).isEqualTo(201);
    String id = uid("catch");
    assertThat(
            post(
                    u,
                    "/strategies",
                    vwap(
                        id, ",\"autoExecute\":true,\"sizing\":{\"mode\":\"quantity\",\"value\":3}"))
                .status())
        .isEqualTo(201);
    String plain = uid("plain");
    assertThat(post(u, "/strategies", vwap(plain, "")).status()).isEqualTo(201);
    freshPrice();
    // stored while the API was down: one recent, one older than the maximum signal age (5m),
    // one of an instance without autoExecute, one stored a moment ago (the live path's turn)
    String missed = uid("missed");
    String tooOld = uid("old");
    String notAuto = uid("plain");
    String recent = uid("recent");
    storedSignal(missed, id, "BUY", Duration.ofSeconds(40));
    storedSignal(tooOld, id, "BUY", Duration.ofMinutes(6));
    storedSignal(notAuto, plain, "BUY", Duration.ofSeconds(40));
    storedSignal(recent, id, "BUY", Duration.ZERO);

    assertThat(catchUp.pass(Instant.now().minus(SignalCatchUp.LIVE_GRACE)).block()).isEqualTo(1);
    List<Map<String, Object>> orders = orders(u);
    assertThat(orders).hasSize(1);
    assertThat(orders.get(0).get("idempotency_key")).isEqualTo("signal-" + missed);
    assertThat(((Number) orders.get(0).get("quantity")).longValue()).isEqualTo(3);
    assertThat(fills(u)).hasSize(1);
    for (String other : List.of(tooOld, notAuto, recent)) {
      assertThat(TestDatabase.query("SELECT 1 FROM signal_orders WHERE signal_id = ?", other))
          .as(other)
          .isEmpty();
    }

    // a second pass (or another instance's) trades nothing again
    assertThat(catchUp.pass(Instant.now().minus(SignalCatchUp.LIVE_GRACE)).block()).isZero();
    assertThat(orders(u)).hasSize(1);
  }
}
