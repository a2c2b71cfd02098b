package dev.papertape.ledger.performance;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The performance answer carries every statistic and names the definition of each. */
class PerformanceReportTest {
  @Test
  void everyStatisticIsInTheAnswerWithItsDefinition() {
    List<String> stats =
        Arrays.stream(Performance.Stats.class.getRecordComponents())
            .map(RecordComponent::getName)
            .toList();
    List<String> answer =
        Arrays.stream(PerformanceReport.class.getRecordComponents())
            .map(RecordComponent::getName)
            .toList();
    assertThat(answer).containsAll(stats);
    List<String> defined =
        stats.stream()
            .filter(s -> !List.of("from", "to", "startValue", "endValue").contains(s))
            .toList();
    assertThat(PerformanceReport.DEFINITIONS.keySet()).containsAll(defined);
  }

  @Test
  void theAnswerCopiesTheStatistics() {
    Instant t0 = Instant.parse("2026-01-05T00:00:00Z");
    Performance.Stats s =
        Performance.of(
            List.of(
                new Performance.Valuation(t0, new BigDecimal("100.00"), false),
                new Performance.Valuation(t0.plusSeconds(60), new BigDecimal("90.00"), true)),
            List.of());
    PerformanceReport r = PerformanceReport.of(7, 2, 2, s);
    assertThat(r.portfolioId()).isEqualTo(7);
    assertThat(r.epoch()).isEqualTo(2);
    assertThat(r.valuations()).isEqualTo(2);
    assertThat(r.totalReturn()).isEqualByComparingTo("-0.1");
    assertThat(r.maxDrawdown()).isEqualTo(s.maxDrawdown());
    assertThat(r.exposure()).isEqualByComparingTo("0.5");
    assertThat(r.from()).isEqualTo(t0);
    assertThat(r.endValue()).isEqualByComparingTo("90.00");
  }
}
