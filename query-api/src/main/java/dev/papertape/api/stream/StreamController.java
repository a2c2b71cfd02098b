package dev.papertape.api.stream;

import dev.papertape.api.market.SymbolDirectory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Server-sent events: {@code /stream/trades}, {@code /stream/metrics}, {@code /stream/signals}.
 * Each event has {@code event: <channel>}, an {@code id} to resume with ({@code Last-Event-ID}) and
 * the data-contract JSON as {@code data}; a {@code :heartbeat} comment keeps idle connections open.
 * A resuming client whose events are no longer all held first gets {@code event: missed} (see
 * {@link StreamHub}).
 */
@RestController
@Tag(name = "Live streams", description = "Server-sent events fed from Kafka")
public class StreamController {
  private final StreamHub hub;
  private final SymbolDirectory symbols;
  private final StreamProperties props;

  public StreamController(StreamHub hub, SymbolDirectory symbols, StreamProperties props) {
    this.hub = hub;
    this.symbols = symbols;
    this.props = props;
  }

  @GetMapping(
      path = "/stream/{channel:trades|metrics|signals}",
      produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @Operation(
      summary = "Live events of a channel (trades, metrics, signals)",
      description =
          "Optional ?symbols=AAPL,TSLA filter. Reconnect with the Last-Event-ID header to receive"
              + " every event missed meanwhile that the server still holds (the last"
              + " PAPERTAPE_STREAM_REPLAY per channel). Events no longer held, or an id the server"
              + " did not issue (e.g. before a restart), are announced by one event named 'missed'"
              + " with data {\"channel\",\"reason\":\"expired\"|\"unknown-id\",\"from\",\"to\","
              + "\"count\"}. A slow live client loses its oldest buffered events (ids jump) instead"
              + " of slowing others.")
  public Flux<ServerSentEvent<String>> stream(
      @PathVariable String channel,
      @Parameter(description = "Comma-separated symbols (default: all)")
          @RequestParam(required = false)
          String symbols,
      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
    Channel c = Channel.parse(channel);
    return resolve(symbols)
        .flatMapMany(
            filter ->
                Flux.merge(
                        hub.subscribe(c, filter, lastEventId, "sse")
                            .map(
                                e ->
                                    ServerSentEvent.builder(e.json())
                                        .id(e.id())
                                        .event(e.eventName())
                                        .build()),
                        Flux.interval(props.heartbeat())
                            .onBackpressureDrop()
                            .map(
                                i ->
                                    ServerSentEvent.<String>builder().comment("heartbeat").build()))
                    // sent at once, so the response (and an EventSource's open event) starts now,
                    // not with the first event or heartbeat
                    .startWith(ServerSentEvent.<String>builder().comment("connected").build()));
  }

  /** The canonical, tracked symbols of a {@code ?symbols=} filter; 404 for an unknown one. */
  Mono<Set<String>> resolve(String raw) {
    if (raw == null || raw.isBlank()) {
      return Mono.just(Set.of());
    }
    return Flux.fromIterable(Arrays.stream(raw.split(",")).filter(s -> !s.isBlank()).toList())
        .concatMap(symbols::require)
        .collect(LinkedHashSet<String>::new, Set::add)
        .map(Set::copyOf);
  }
}
