package dev.papertape.api.stream;

import java.util.function.Function;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * One WebSocket connection's bounded outbound queue, shared by the market ({@code /ws/stream}) and
 * portfolio ({@code /ws/portfolio}) sockets: when a slow client's queue is full, a new message for
 * it is dropped (the caller counts it), and other clients are not affected.
 */
public final class WebSocketOutbound {
  private final Sinks.Many<String> queue;

  public WebSocketOutbound(int capacity) {
    this.queue = Sinks.many().unicast().onBackpressureBuffer(Queues.<String>get(capacity).get());
  }

  /**
   * Queues one text frame.
   *
   * @return false when it was dropped (the queue is full, or the connection closed)
   */
  public synchronized boolean send(String text) {
    return queue.tryEmitNext(text).isSuccess();
  }

  /** Ends the outbound side (the connection closes once the queue is sent). */
  public void complete() {
    queue.tryEmitComplete();
  }

  /**
   * Runs the connection: every text frame the client sends goes to {@code onMessage} (one after the
   * other), the queue goes out; when either side ends, {@code onClose} runs and the connection
   * closes.
   */
  public Mono<Void> run(
      WebSocketSession session, Function<String, Mono<Void>> onMessage, Runnable onClose) {
    Mono<Void> in =
        session.receive().map(WebSocketMessage::getPayloadAsText).concatMap(onMessage).then();
    Mono<Void> out = session.send(queue.asFlux().map(session::textMessage));
    return Mono.zip(in, out)
        .then()
        .doFinally(
            sig -> {
              onClose.run();
              complete();
            });
  }
}
