package dev.papertape.api.portfolio;

import dev.papertape.api.security.AuthenticatedUser;
import dev.papertape.api.stream.StreamProperties;
import dev.papertape.api.stream.WebSocketOutbound;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * WebSocket {@code /ws/portfolio}: the same events as {@code /stream/portfolio} ({@link
 * PortfolioStream}), one JSON text frame each: {@code {"event":"order"|"fill"|"valuation",
 * "data":{...}}}. The handshake needs credentials like every portfolio route (HTTP Basic or {@code
 * X-Api-Key}; without them a 401 problem, no upgrade); messages from the client are ignored.
 * Without a portfolio the socket sends {@code {"event":"error","data":<the 404 no-portfolio
 * problem>}} and closes. The outbound queue is the market socket's ({@link WebSocketOutbound},
 * {@code PAPERTAPE_STREAM_CLIENT_BUFFER}): a slow client's new frames are dropped and counted in
 * {@code papertape_portfolio_stream_dropped_total}.
 */
@Component
class PortfolioWebSocketHandler implements WebSocketHandler {
  private static final Logger log = LoggerFactory.getLogger(PortfolioWebSocketHandler.class);

  /** One frame. */
  record Frame(String event, Object data) {}

  private final PortfolioStream stream;
  private final StreamProperties props;
  private final JsonMapper json;
  private final Counter dropped;

  PortfolioWebSocketHandler(
      PortfolioStream stream, StreamProperties props, JsonMapper json, MeterRegistry registry) {
    this.stream = stream;
    this.props = props;
    this.json = json;
    this.dropped =
        Counter.builder("papertape.portfolio.stream.dropped")
            .tag("transport", "websocket")
            .description("Portfolio frames dropped for a slow WebSocket client")
            .register(registry);
  }

  /** Maps {@code /ws/portfolio} (next to the market socket's {@code /ws/stream}). */
  @Configuration(proxyBeanMethods = false)
  static class Mapping {
    @Bean
    HandlerMapping portfolioWebSocketMapping(PortfolioWebSocketHandler handler) {
      return new SimpleUrlHandlerMapping(Map.of("/ws/portfolio", handler), -1);
    }
  }

  @Override
  public Mono<Void> handle(WebSocketSession session) {
    WebSocketOutbound out = new WebSocketOutbound(props.clientBuffer());
    Disposable.Swap subscription = Disposables.swap();
    Mono<Void> open =
        session
            .getHandshakeInfo()
            .getPrincipal()
            .map(p -> p instanceof Authentication a ? a.getPrincipal() : p)
            .ofType(AuthenticatedUser.class)
            .switchIfEmpty(
                Mono.error(
                    () -> new IllegalStateException("no authenticated user on /ws/portfolio")))
            .flatMap(u -> stream.open(u.id()))
            .doOnNext(
                items ->
                    subscription.update(
                        items.subscribe(
                            i -> send(out, new Frame(i.event(), i.data())),
                            e -> {
                              log.atWarn()
                                  .addKeyValue("error", e.toString())
                                  .log("Portfolio WebSocket stream failed");
                              session.close(CloseStatus.SERVER_ERROR).subscribe();
                            })))
            .then()
            .onErrorResume(
                ErrorResponseException.class,
                e -> {
                  ProblemDetail problem = e.getBody();
                  send(out, new Frame("error", problem));
                  out.complete();
                  return Mono.empty();
                });
    return open.then(out.run(session, text -> Mono.empty(), subscription::dispose));
  }

  private void send(WebSocketOutbound out, Frame f) {
    String text;
    try {
      text = json.writeValueAsString(f);
    } catch (RuntimeException e) {
      log.atWarn().addKeyValue("error", e.toString()).log("Portfolio frame not encoded");
      return;
    }
    if (!out.send(text)) {
      dropped.increment();
    }
  }
}
