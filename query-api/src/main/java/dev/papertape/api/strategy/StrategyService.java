package dev.papertape.api.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.papertape.api.market.SymbolDirectory;
import dev.papertape.api.security.AuthenticatedUser;
import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.Json;
import dev.papertape.model.UnknownFields;
import dev.papertape.strategy.ControlEvent;
import dev.papertape.strategy.ControlEventCodec;
import dev.papertape.strategy.InvalidParameterException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Strategy instances and alert rules of a user: the row in the database (the record) and its
 * control event on the compacted topic (what the signals job reads).
 *
 * <p><b>Write, publish, commit.</b> A change runs in one transaction that locks the row ({@code
 * SELECT … FOR UPDATE}), writes it with {@code control_pending = true}, publishes the control event
 * and waits for Kafka's acknowledgement ({@code acks=all}, at most {@code publishTimeout}), clears
 * {@code control_pending} and commits. So two changes of one id reach the topic in the order they
 * commit (the lock is held across the publish), and a change Kafka did not take is still stored,
 * marked pending: the request answers 503 {@code control-unavailable} and {@link
 * ControlRepublisher} publishes it again until Kafka takes it. Why not "publish after commit"? Two
 * racing changes could then reach Kafka in the other order, leaving the job on the older one. Why
 * not "publish, then commit" without the mark? A publish whose commit then fails would leave the
 * job running what the database does not know, and nothing could find it. The one gap left: the
 * commit failing after the acknowledgement (the database lost in those milliseconds) leaves the
 * topic one change ahead of the database until the user retries; the request then answers 503
 * database-unavailable.
 */
@Service
class StrategyService {
  private static final Logger log = LoggerFactory.getLogger(StrategyService.class);

  static final Set<String> STRATEGY_FIELDS =
      new LinkedHashSet<>(List.of("id", "strategy", "params", "symbols", "autoExecute", "sizing"));
  static final Set<String> RULE_FIELDS =
      new LinkedHashSet<>(List.of("id", "symbol", "field", "op", "threshold", "window"));

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ID_CHARS = "abcdefghijkmnpqrstuvwxyz23456789";

  /** A write's answer: the row and whether it was new (201) or replaced (200). */
  record Written<T>(T row, boolean created) {}

  private final StrategyRepository repo;
  private final ControlPublisher publisher;
  private final SymbolDirectory symbols;
  private final TransactionalOperator tx;
  private final StrategyProperties props;
  private final ControlEventCodec codec = new ControlEventCodec(UnknownFields.REJECT);

  StrategyService(
      StrategyRepository repo,
      ControlPublisher publisher,
      SymbolDirectory symbols,
      ReactiveTransactionManager transactions,
      StrategyProperties props) {
    this.repo = repo;
    this.publisher = publisher;
    this.symbols = symbols;
    this.tx = TransactionalOperator.create(transactions);
    this.props = props;
  }

  // ---- parsing

  /**
   * A {@code POST /strategies} body as an activation of {@code user}: the codec of the control
   * topic validates it (400 invalid-parameter naming the field; 422 for a strategy parameter).
   */
  ControlEvent.ActivateStrategy parseActivation(AuthenticatedUser user, String body) {
    ObjectNode o = body(body, STRATEGY_FIELDS, "s-");
    o.put("type", ControlEvent.STRATEGY);
    o.put("owner", user.name());
    try {
      return (ControlEvent.ActivateStrategy) codec.decode(Json.bytes(o));
    } catch (InvalidParameterException e) {
      throw StrategyProblems.invalidParameter(o.path("strategy").asText(), e);
    }
  }

  /** A {@code POST /alerts/rules} body as a rule of {@code user}. */
  ControlEvent.AddAlertRule parseRule(AuthenticatedUser user, String body) {
    ObjectNode o = body(body, RULE_FIELDS, "r-");
    o.put("type", ControlEvent.ALERT_RULE);
    o.put("owner", user.name());
    return (ControlEvent.AddAlertRule) codec.decode(Json.bytes(o));
  }

  private static ObjectNode body(String body, Set<String> fields, String idPrefix) {
    if (body == null || body.isBlank()) {
      throw new InvalidRecordException(null, "the request body is missing: a JSON object");
    }
    ObjectNode o = Json.readObject(body.getBytes(StandardCharsets.UTF_8));
    Json.checkFields(o, fields, UnknownFields.REJECT);
    if (!o.hasNonNull("id")) {
      o.put("id", newId(idPrefix));
    }
    return o;
  }

  /** A random id: the prefix and 12 characters (60 bits). */
  static String newId(String prefix) {
    StringBuilder s = new StringBuilder(prefix);
    for (int i = 0; i < 12; i++) {
      s.append(ID_CHARS.charAt(RANDOM.nextInt(ID_CHARS.length())));
    }
    return s.toString();
  }

  // ---- strategies

  /** Activates (or re-configures) the user's instance; 409 when another user owns the id. */
  Mono<Written<StrategyRepository.StrategyRow>> activate(
      AuthenticatedUser user, ControlEvent.ActivateStrategy a) {
    Mono<List<String>> known =
        Flux.fromIterable(a.symbols()).concatMap(symbols::require).collectList();
    return known
        .then(
            repo.lockStrategy(a.id())
                .map(java.util.Optional::of)
                .defaultIfEmpty(java.util.Optional.empty())
                .flatMap(
                    existing -> {
                      if (existing.isPresent() && existing.get().userId() != user.id()) {
                        return Mono.error(StrategyProblems.idTaken("strategy", a.id()));
                      }
                      boolean wasActive = existing.isPresent() && existing.get().active();
                      Mono<Void> room =
                          wasActive
                              ? Mono.empty()
                              : repo.activeStrategies(user.id())
                                  .flatMap(
                                      n ->
                                          n >= props.maxActive()
                                              ? Mono.error(
                                                  StrategyProblems.tooMany(
                                                      "strategy instances", props.maxActive()))
                                              : Mono.empty());
                      return room.then(repo.upsertStrategy(user.id(), a))
                          .then(publishStrategy(a))
                          .map(ok -> new Outcome(ok, existing.isEmpty()));
                    }))
        .as(tx::transactional)
        .flatMap(o -> answer(o, "strategy", a.id(), repo.strategy(user.id(), a.id())))
        .doOnNext(
            w ->
                log.atInfo()
                    .addKeyValue("user", user.id())
                    .addKeyValue("strategy", a.id())
                    .addKeyValue("type", a.strategy())
                    .addKeyValue("autoExecute", a.autoExecute())
                    .log("Strategy activated"));
  }

  /** Deactivates the user's instance (idempotent); 404 when the user has none of that id. */
  Mono<StrategyRepository.StrategyRow> deactivate(AuthenticatedUser user, String id) {
    return repo.lockStrategy(id)
        .filter(r -> r.userId() == user.id())
        .switchIfEmpty(Mono.error(() -> StrategyProblems.strategyNotFound(id)))
        .flatMap(
            r ->
                repo.deactivateStrategy(id)
                    .then(publishStrategy(new ControlEvent.DeactivateStrategy(id)))
                    .map(ok -> new Outcome(ok, false)))
        .as(tx::transactional)
        .flatMap(o -> answer(o, "strategy", id, repo.strategy(user.id(), id)))
        .map(Written::row);
  }

  Mono<StrategyRepository.StrategyRow> strategy(AuthenticatedUser user, String id) {
    return repo.strategy(user.id(), id)
        .switchIfEmpty(Mono.error(() -> StrategyProblems.strategyNotFound(id)));
  }

  Flux<StrategyRepository.StrategyRow> strategies(AuthenticatedUser user) {
    return repo.strategies(user.id());
  }

  // ---- alert rules

  Mono<Written<StrategyRepository.RuleRow>> addRule(
      AuthenticatedUser user, ControlEvent.AddAlertRule add) {
    String id = add.id();
    return symbols
        .require(add.rule().symbol())
        .then(
            repo.lockRule(id)
                .map(java.util.Optional::of)
                .defaultIfEmpty(java.util.Optional.empty())
                .flatMap(
                    existing -> {
                      if (existing.isPresent() && existing.get().userId() != user.id()) {
                        return Mono.error(StrategyProblems.idTaken("alert rule", id));
                      }
                      boolean wasActive = existing.isPresent() && existing.get().active();
                      int max = props.maxActive() * 4;
                      Mono<Void> room =
                          wasActive
                              ? Mono.empty()
                              : repo.activeRules(user.id())
                                  .flatMap(
                                      n ->
                                          n >= max
                                              ? Mono.error(
                                                  StrategyProblems.tooMany("alert rules", max))
                                              : Mono.empty());
                      return room.then(repo.upsertRule(user.id(), add.rule()))
                          .then(publishRule(add))
                          .map(ok -> new Outcome(ok, existing.isEmpty()));
                    }))
        .as(tx::transactional)
        .flatMap(o -> answer(o, "alert rule", id, repo.rule(user.id(), id)));
  }

  Mono<StrategyRepository.RuleRow> removeRule(AuthenticatedUser user, String id) {
    return repo.lockRule(id)
        .filter(r -> r.userId() == user.id())
        .switchIfEmpty(Mono.error(() -> StrategyProblems.ruleNotFound(id)))
        .flatMap(
            r ->
                repo.removeRule(id)
                    .then(publishRule(new ControlEvent.RemoveAlertRule(id)))
                    .map(ok -> new Outcome(ok, false)))
        .as(tx::transactional)
        .flatMap(o -> answer(o, "alert rule", id, repo.rule(user.id(), id)))
        .map(Written::row);
  }

  Mono<StrategyRepository.RuleRow> rule(AuthenticatedUser user, String id) {
    return repo.rule(user.id(), id)
        .switchIfEmpty(Mono.error(() -> StrategyProblems.ruleNotFound(id)));
  }

  Flux<StrategyRepository.RuleRow> rules(AuthenticatedUser user) {
    return repo.rules(user.id());
  }

  // ---- publishing

  /** Whether Kafka took the event, and whether the row was new. */
  private record Outcome(boolean published, boolean created) {}

  /** Publishes inside the caller's transaction; true (and the row marked) once acknowledged. */
  private Mono<Boolean> publishStrategy(ControlEvent e) {
    return publisher
        .publish(e)
        .then(repo.strategyPublished(e.id()))
        .thenReturn(true)
        .onErrorResume(StrategyService::kafkaFailure, x -> Mono.just(false));
  }

  private Mono<Boolean> publishRule(ControlEvent e) {
    return publisher
        .publish(e)
        .then(repo.rulePublished(e.id()))
        .thenReturn(true)
        .onErrorResume(StrategyService::kafkaFailure, x -> Mono.just(false));
  }

  /** A failure of the publish itself (not of the database, which fails the transaction). */
  private static boolean kafkaFailure(Throwable e) {
    return !dev.papertape.api.problem.Problems.databaseUnavailable(e)
        && !(e instanceof org.springframework.dao.DataAccessException);
  }

  private <T> Mono<Written<T>> answer(Outcome o, String what, String id, Mono<T> row) {
    if (!o.published()) {
      return Mono.error(StrategyProblems.controlUnavailable(what, id));
    }
    return row.map(r -> new Written<>(r, o.created()));
  }

  /**
   * Publishes one strategy's current state again under its row lock and clears its pending mark;
   * false when Kafka did not take it (it stays pending).
   */
  Mono<Boolean> republishStrategy(String id) {
    return repo.lockStrategy(id)
        .flatMap(r -> publishStrategy(r.event()))
        .defaultIfEmpty(true)
        .as(tx::transactional);
  }

  Mono<Boolean> republishRule(String id) {
    return repo.lockRule(id)
        .flatMap(r -> publishRule(r.event()))
        .defaultIfEmpty(true)
        .as(tx::transactional);
  }
}
