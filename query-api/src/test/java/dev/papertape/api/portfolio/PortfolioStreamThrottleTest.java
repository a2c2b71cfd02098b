package dev.papertape.api.portfolio;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The valuation throttle of the live channel: first at once, then the newest per interval. */
class PortfolioStreamThrottleTest {
  static final Duration SECOND = Duration.ofSeconds(1);

  static Views.Portfolio valued(String price, Instant at) {
    BigDecimal p = new BigDecimal(price);
    BigDecimal value = p.multiply(BigDecimal.TEN).setScale(2);
    BigDecimal cash = new BigDecimal("1000.00");
    return new Views.Portfolio(
        1,
        "USD",
        1,
        cash,
        cash,
        value,
        cash.add(value),
        BigDecimal.ZERO.setScale(2),
        BigDecimal.ZERO.setScale(2),
        BigDecimal.ZERO.setScale(2),
        BigDecimal.ZERO.setScale(2),
        false,
        Instant.EPOCH,
        null,
        List.of(
            new Views.Position(
                "AAA",
                10,
                new BigDecimal("1.00000000"),
                p,
                at,
                value,
                BigDecimal.ZERO.setScale(2))));
  }

  static String price(Views.Portfolio v) {
    return v.positions().get(0).lastPrice().toPlainString();
  }

  @Test
  void firstAtOnceThenTheNewestOfEachIntervalAndNothingUnchanged() {
    VirtualTimeScheduler time = VirtualTimeScheduler.create();
    Sinks.Many<Views.Portfolio> source = Sinks.many().multicast().directBestEffort();
    StepVerifier.create(
            PortfolioStream.throttled(source.asFlux(), SECOND, time)
                .map(PortfolioStreamThrottleTest::price))
        .then(() -> source.tryEmitNext(valued("1", Instant.EPOCH)))
        .expectNext("1") // at once
        .then(
            () -> {
              for (int i = 2; i <= 50; i++) {
                source.tryEmitNext(valued(Integer.toString(i), Instant.EPOCH));
              }
            })
        .then(() -> time.advanceTimeBy(Duration.ofMillis(999)))
        .expectNoEvent(Duration.ofMillis(10))
        .then(() -> time.advanceTimeBy(Duration.ofMillis(1)))
        .expectNext("50") // the newest of the interval, once it is over
        .then(() -> time.advanceTimeBy(SECOND))
        // same values, later price time: no change
        .then(() -> source.tryEmitNext(valued("50", Instant.EPOCH.plusSeconds(5))))
        .expectNoEvent(Duration.ofMillis(10))
        // a change and back within one interval: nothing new to send
        .then(() -> source.tryEmitNext(valued("51", Instant.EPOCH)))
        .expectNext("51")
        .then(() -> source.tryEmitNext(valued("52", Instant.EPOCH)))
        .then(() -> source.tryEmitNext(valued("51", Instant.EPOCH)))
        .then(() -> time.advanceTimeBy(SECOND))
        .expectNoEvent(Duration.ofMillis(10))
        .then(() -> source.tryEmitNext(valued("53", Instant.EPOCH)))
        .expectNext("53")
        .thenCancel()
        .verify(Duration.ofSeconds(10));
  }

  @Test
  void changesIgnoresPriceTimesOnly() {
    assertThat(PortfolioStream.changes(valued("1", Instant.EPOCH)))
        .isEqualTo(PortfolioStream.changes(valued("1", Instant.EPOCH.plusSeconds(1))))
        .isNotEqualTo(PortfolioStream.changes(valued("1.5", Instant.EPOCH)));
  }
}
