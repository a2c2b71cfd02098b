package dev.papertape.api.stream;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

/** Opens an SSE stream the way a browser does, for the stream ITs. */
final class SseRequests {
  private SseRequests() {}

  /** The events of {@code uri} (comments left out), resuming after {@code lastEventId} if set. */
  static Flux<ServerSentEvent<String>> open(WebTestClient client, String uri, String lastEventId) {
    WebTestClient.RequestHeadersSpec<?> req =
        client.get().uri(uri).accept(MediaType.TEXT_EVENT_STREAM);
    if (lastEventId != null) {
      req = req.header("Last-Event-ID", lastEventId);
    }
    return req.exchange()
        .expectStatus()
        .isOk()
        .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {})
        .getResponseBody()
        .filter(e -> e.data() != null);
  }
}
