package dev.papertape.api.portfolio.matching;

import dev.papertape.api.portfolio.PortfolioService;
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
 * {@code GET /stream/portfolio}: the authenticated user's own order and fill events as Server-Sent
 * Events, live from the moment of connecting (no replay), with a {@code :heartbeat} comment like
 * the market streams. The security chain requires credentials on this route; the user's portfolio
 * is looked up once, so another user's events can never be selected.
 */
@RestController
@Tag(name = "Paper portfolio", description = "Init, trade, orders, fills and valuation")
public class PortfolioStreamController {
  private final PortfolioService portfolios;
  private final PortfolioEvents events;
  private final CurrentUser users;
  private final StreamProperties props;

  public PortfolioStreamController(
      PortfolioService portfolios,
      PortfolioEvents events,
      CurrentUser users,
      StreamProperties props) {
    this.portfolios = portfolios;
    this.events = events;
    this.users = users;
    this.props = props;
  }

  @GetMapping(path = "/stream/portfolio", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @Operation(
      summary = "Your order and fill events, live",
      description =
          "Event 'order': an order's new state (ACCEPTED, PARTIALLY_FILLED, FILLED, CANCELED,"
              + " EXPIRED), as GET /portfolio/orders/{id} answers it without fills. Event 'fill': a"
              + " fill row, as in GET /portfolio/history. Events of the API instance you are"
              + " connected to, from the moment you connect; a slow client loses its oldest"
              + " buffered events. 404 no-portfolio before POST /portfolio/init.")
  public Flux<ServerSentEvent<Object>> stream() {
    return users
        .current()
        .flatMap(u -> portfolios.portfolioIdOf(u.id()))
        .flatMapMany(
            id ->
                Flux.merge(
                        events
                            .of(id)
                            .map(
                                e ->
                                    ServerSentEvent.builder(e.data())
                                        .event(e.kind().label())
                                        .build()),
                        Flux.interval(props.heartbeat())
                            .onBackpressureDrop()
                            .map(i -> ServerSentEvent.builder().comment("heartbeat").build()))
                    .startWith(ServerSentEvent.builder().comment("connected").build()));
  }
}
