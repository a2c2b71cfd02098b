package dev.papertape.api.portfolio.valuation;

import dev.papertape.api.config.ClockProperties;
import dev.papertape.api.market.TimeBound;
import dev.papertape.api.portfolio.PortfolioProblems;
import dev.papertape.api.problem.Problems;
import dev.papertape.api.security.CurrentUser;
import dev.papertape.ledger.performance.Performance;
import dev.papertape.ledger.performance.PerformanceReport;
import dev.papertape.model.Timestamps;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hibernate.validator.constraints.Range;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * The authenticated user's portfolio over time: the equity curve from the snapshots and the
 * performance statistics, both of the current epoch (since the last init or reset).
 */
@RestController
@Tag(name = "Paper portfolio", description = "Init, trade, orders, fills and valuation")
public class ValuationController {
  static final int MAX_POINTS = 5000;
  static final String BETWEEN = "must be between {min} and {max}";

  private final Valuations valuations;
  private final CurrentUser users;
  private final Clock clock;
  private final ClockProperties time;

  ValuationController(Valuations valuations, CurrentUser users, Clock clock, ClockProperties time) {
    this.valuations = valuations;
    this.users = users;
    this.clock = clock;
    this.time = time;
  }

  /** The same 404 as the ledger's routes when the user has no portfolio. */
  static ErrorResponseException noPortfolio() {
    return Problems.problem(
        HttpStatus.NOT_FOUND,
        PortfolioProblems.NO_PORTFOLIO,
        "No portfolio",
        "You have no portfolio yet; POST /portfolio/init creates one.");
  }

  private Mono<Valuations.Owned> owned() {
    return users
        .current()
        .flatMap(u -> valuations.byUser(u.id()))
        .switchIfEmpty(Mono.error(ValuationController::noPortfolio));
  }

  @GetMapping("/portfolio/equity")
  @Operation(
      summary = "Your portfolio's value over time",
      description =
          "The valuation snapshots of the current epoch (one per PAPERTAPE_SNAPSHOT_INTERVAL) with"
              + " ts in [from, to), oldest first, at most `limit` per page; with `interval`, the"
              + " last snapshot of each bucket, labelled with the bucket's start. `next` is the URL"
              + " of the following page.")
  public Mono<EquityPage> equity(
      @Parameter(
              description = "Inclusive lower bound (ISO-8601 or epoch millis)",
              schema = @Schema(type = "string"))
          @RequestParam(required = false)
          TimeBound from,
      @Parameter(
              description = "Exclusive upper bound (ISO-8601 or epoch millis)",
              schema = @Schema(type = "string"))
          @RequestParam(required = false)
          TimeBound to,
      @Parameter(
              description = "Downsample to 1m, 5m, 1h or 1d (last value per bucket)",
              schema = @Schema(type = "string"))
          @RequestParam(required = false)
          EquityInterval interval,
      @Parameter(description = "Page size, 1-5000")
          @RequestParam(defaultValue = "" + MAX_POINTS)
          @Range(min = 1, max = MAX_POINTS, message = BETWEEN)
          int limit) {
    Optional<ErrorResponseException> badRange = TimeBound.invalidRange(from, to);
    if (badRange.isPresent()) {
      return Mono.error(badRange.get());
    }
    Instant fromTs = TimeBound.at(from);
    Instant toTs = TimeBound.at(to);
    return owned()
        .flatMap(
            p ->
                valuations
                    .equity(p, fromTs, toTs, interval, limit)
                    .collectList()
                    .map(
                        points ->
                            new EquityPage(
                                p.id(),
                                p.epoch(),
                                interval == null ? null : interval.label(),
                                fromTs,
                                toTs,
                                limit,
                                points,
                                next(toTs, interval, limit, points))));
  }

  /** The next page starts past the last point of this one; none when this page is short. */
  static String next(Instant to, EquityInterval interval, int limit, List<EquityPoint> points) {
    if (points.size() < limit) {
      return null;
    }
    Instant edge = points.get(points.size() - 1).ts();
    Instant after = interval == null ? edge.plusMillis(1) : edge.plus(interval.size());
    UriComponentsBuilder b = UriComponentsBuilder.fromPath("/portfolio/equity");
    b.queryParam("from", Timestamps.format(after));
    if (to != null) {
      b.queryParam("to", Timestamps.format(to));
    }
    if (interval != null) {
      b.queryParam("interval", interval.label());
    }
    return b.queryParam("limit", limit).toUriString();
  }

  @GetMapping("/portfolio/performance")
  @Operation(
      summary = "Your portfolio's performance statistics",
      description =
          "Over the current epoch: the starting cash at init/reset, every snapshot, and the value"
              + " now; fills of the epoch. Total and annualised return, max drawdown with its peak"
              + " and trough, Sharpe, Sortino, win rate and profit factor over closed round trips,"
              + " exposure, fills; each definition in `definitions` and the README.")
  public Mono<PerformanceReport> performance() {
    return owned().flatMap(this::performance);
  }

  private Mono<PerformanceReport> performance(Valuations.Owned p) {
    Instant now = clock.instant();
    return Mono.zip(
            valuations.snapshots(p, p.resetAt()).collectList(),
            valuations.fills(p).collectList(),
            valuations.live(p.id(), time.horizon(clock)))
        .map(
            t -> {
              List<Performance.Valuation> curve = new ArrayList<>();
              curve.add(new Performance.Valuation(p.resetAt(), p.startingCash(), false));
              curve.addAll(t.getT1());
              Performance.Valuation last = curve.get(curve.size() - 1);
              if (!now.isBefore(last.at())) {
                curve.add(
                    new Performance.Valuation(
                        now, t.getT3().totalValue(), t.getT3().openPositions() > 0));
              }
              return PerformanceReport.of(
                  p.id(), p.epoch(), curve.size(), Performance.of(curve, t.getT2()));
            });
  }
}
