package dev.papertape.api.strategy;

import dev.papertape.api.stream.Channel;
import dev.papertape.api.stream.StreamEvent;
import dev.papertape.api.stream.StreamHub;
import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.Signal;
import dev.papertape.model.SignalCodec;
import dev.papertape.model.UnknownFields;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The live signals of this API instance: the {@code signals} channel of the stream hub, fed by the
 * one {@code price-alerts} consumer of the process (the one {@code /stream/signals} reads), as
 * {@link Signal}s. Its events were validated by the channel's codec; they are read back here. The
 * subscription has the hub's per-client buffer ({@code PAPERTAPE_STREAM_CLIENT_BUFFER}, oldest
 * dropped and counted with {@code transport="internal"}).
 */
final class LiveSignals {
  static final String TRANSPORT = "internal";
  private static final SignalCodec CODEC = new SignalCodec(UnknownFields.IGNORE);

  private LiveSignals() {}

  static Flux<Signal> of(StreamHub hub) {
    return hub.subscribe(Channel.SIGNALS, Set.of(), null, TRANSPORT)
        .filter(e -> e.type() == StreamEvent.Type.EVENT)
        .concatMap(e -> decode(e.json()));
  }

  private static Mono<Signal> decode(String json) {
    try {
      return Mono.just(CODEC.decode(json.getBytes(StandardCharsets.UTF_8)));
    } catch (InvalidRecordException e) {
      return Mono.empty(); // the hub only carries what this codec wrote
    }
  }
}
