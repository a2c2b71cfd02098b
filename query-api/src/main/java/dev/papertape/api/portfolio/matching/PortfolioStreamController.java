package dev.papertape.api.portfolio.matching;

import dev.papertape.api.portfolio.PortfolioStream;
import dev.papertape.api.security.CurrentUser;
import dev.papertape.api.stream.StreamProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

/**
 * {@code GET /stream/portfolio}: the authenticated user's own order, fill and valuation events
 * ({@link PortfolioStream}) as Server-Sent Events, live from the moment of connecting (no replay),
 * with a {@code :heartbeat} comment like the market streams. The security chain requires
 * credentials on this route; the user's portfolio is looked up once, so another user's events can
 * never be selected.
 */
@RestController
@Tag(name = "Paper portfolio", description = "Init, trade, orders, fills and valuation")
public class PortfolioStreamController {
  private final PortfolioStream stream;
  private final CurrentUser users;
  private final StreamProperties props;

  public PortfolioStreamController(
      PortfolioStream stream, CurrentUser users, StreamProperties props) {
    this.stream = stream;
    this.users = users;
    this.props = props;
  }

  @GetMapping(path = "/stream/portfolio", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @Operation(
      summary = "Your order, fill and valuation events, live",
      description =
          "Event 'order': an order's new state (ACCEPTED, PARTIALLY_FILLED, FILLED, CANCELED,"
              + " EXPIRED), as GET /portfolio/orders/{id} answers it without fills. Event 'fill': a"
              + " fill row, as in GET /portfolio/history. Event 'valuation': the portfolio as GET"
              + " /portfolio answers it, on connecting, after your orders and fills and as the"
              + " prices of your positions move (at most one per"
              + " PAPERTAPE_PORTFOLIO_VALUATION_INTERVAL, only when a value changed). Events of"
              + " every API instance, from the moment you connect (no replay); a slow client loses"
              + " its oldest buffered events. 404 no-portfolio before POST /portfolio/init.")
  public Flux<ServerSentEvent<Object>> stream() {
    return users
        .current()
        .flatMap(u -> stream.open(u.id()))
        .flatMapMany(
            items ->
                Flux.merge(
                        items.map(i -> ServerSentEvent.builder(i.data()).event(i.event()).build()),
                        Flux.interval(props.heartbeat())
                            .onBackpressureDrop()
                            .map(i -> ServerSentEvent.builder().comment("heartbeat").build()))
                    .startWith(ServerSentEvent.builder().comment("connected").build()));
  }
}
