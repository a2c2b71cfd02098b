package dev.papertape.api.stream;

import dev.papertape.api.market.SymbolDirectory;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * WebSocket {@code /ws/stream}. Clients send {@code {"op":"subscribe","channel":"trades",
 * "symbols":["TSLA"]}} (symbols optional: all) and {@code {"op":"unsubscribe","channel":"trades"}};
 * the server answers {@code {"type":"subscribed"|"unsubscribed",...}}, sends {@code
 * {"type":"event","channel","id","data":{...}}} and, for a message it cannot act on, {@code
 * {"type":"error","error":"<code>","detail":"..."}} — the connection stays open.
 *
 * <p>Each session has one bounded outbound queue ({@code clientBuffer}, {@link WebSocketOutbound});
 * when a slow client's queue is full, new events for it are dropped and counted, and other clients
 * are not affected.
 */
@Component
public class StreamWebSocketHandler implements WebSocketHandler {
  private final StreamHub hub;
  private final SymbolDirectory symbols;
  private final StreamProperties props;
  private final StreamMetrics metrics;
  private final JsonMapper json;

  public StreamWebSocketHandler(
      StreamHub hub,
      SymbolDirectory symbols,
      StreamProperties props,
      StreamMetrics metrics,
      JsonMapper json) {
    this.hub = hub;
    this.symbols = symbols;
    this.props = props;
    this.metrics = metrics;
    this.json = json;
  }

  @Override
  public Mono<Void> handle(WebSocketSession session) {
    Session s = new Session();
    return s.outbound.run(session, text -> onMessage(s, text), s::close);
  }

  /** One connection's subscriptions and outbound queue. */
  private final class Session {
    final WebSocketOutbound outbound = new WebSocketOutbound(props.clientBuffer());
    final Map<Channel, Disposable> subscriptions = new ConcurrentHashMap<>();

    void send(String text, Channel c) {
      if (!outbound.send(text) && c != null) {
        metrics.dropped(c, "websocket");
      }
    }

    void close() {
      subscriptions.values().forEach(Disposable::dispose);
      subscriptions.clear();
    }
  }

  private Mono<Void> onMessage(Session s, String text) {
    JsonNode msg;
    try {
      msg = json.readTree(text);
    } catch (RuntimeException e) {
      return error(
          s,
          "malformed-message",
          "not valid JSON: send e.g. {\"op\":\"subscribe\",\"channel\":\"trades\"}");
    }
    if (!msg.isObject()) {
      return error(s, "malformed-message", "expected a JSON object with 'op' and 'channel'");
    }
    String op = msg.path("op").asString("");
    Channel channel;
    try {
      channel = Channel.parse(msg.path("channel").asString(""));
    } catch (IllegalArgumentException e) {
      return error(s, "unknown-channel", e.getMessage());
    }
    return switch (op) {
      case "subscribe" -> subscribe(s, channel, msg.get("symbols"));
      case "unsubscribe" -> {
        Disposable d = s.subscriptions.remove(channel);
        if (d != null) {
          d.dispose();
        }
        ObjectNode ack =
            json.createObjectNode().put("type", "unsubscribed").put("channel", channel.label());
        s.send(ack.toString(), null);
        yield Mono.empty();
      }
      default -> error(s, "unknown-op", "'op' must be subscribe or unsubscribe, got '" + op + "'");
    };
  }

  private Mono<Void> subscribe(Session s, Channel channel, JsonNode symbolsNode) {
    Set<String> raw = new LinkedHashSet<>();
    if (symbolsNode != null && !symbolsNode.isNull()) {
      if (!symbolsNode.isArray()) {
        return error(
            s, "malformed-message", "'symbols' must be an array of symbols, e.g. [\"AAPL\"]");
      }
      symbolsNode.forEach(n -> raw.add(n.asString("")));
    }
    return Flux.fromIterable(raw)
        .concatMap(symbols::require)
        .collect(HashSet<String>::new, Set::add)
        .flatMap(
            filter -> {
              Disposable previous =
                  s.subscriptions.put(
                      channel,
                      hub.subscribe(channel, Set.copyOf(filter), null, "websocket")
                          .subscribe(e -> s.send(envelope(e), channel)));
              if (previous != null) {
                previous.dispose();
              }
              ObjectNode ack =
                  json.createObjectNode().put("type", "subscribed").put("channel", channel.label());
              ArrayNode list = ack.putArray("symbols");
              filter.stream().sorted().forEach(list::add);
              s.send(ack.toString(), null);
              return Mono.<Void>empty();
            })
        .onErrorResume(
            org.springframework.web.ErrorResponseException.class,
            e -> error(s, "unknown-symbol", e.getBody().getDetail()))
        .onErrorResume(e -> error(s, "server-error", "the subscription failed: " + e.getMessage()));
  }

  private static String envelope(StreamEvent e) {
    return "{\"type\":\"event\",\"channel\":\""
        + e.channel().label()
        + "\",\"id\":\""
        + e.id()
        + "\",\"data\":"
        + e.json()
        + "}";
  }

  private Mono<Void> error(Session s, String code, String detail) {
    s.send(
        json.createObjectNode()
            .put("type", "error")
            .put("error", code)
            .put("detail", detail)
            .toString(),
        null);
    return Mono.empty();
  }
}
