package dev.papertape.flink.io;

import static dev.papertape.testing.TradeFixtures.trade;
import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.model.DeadLetter;
import dev.papertape.model.Trade;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** {@link RouteInvalidRecords} in Flink's operator harness: valid on, rejected to the side. */
class RouteInvalidRecordsTest {
  @Test
  void validTradesGoOnAndRejectedRecordsToTheDeadLetters() throws Exception {
    Trade t = trade("AAPL", "100", 1, Instant.parse("2026-01-05T14:30:00Z"));
    DeadLetter bad =
        DeadLetter.of(
            "trades",
            1,
            9,
            null,
            "{".getBytes(StandardCharsets.UTF_8),
            DeadLetter.DECODE,
            "not valid JSON",
            Instant.EPOCH);
    try (var h =
        new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new RouteInvalidRecords()))) {
      h.open();
      for (int i = 0; i < 50; i++) { // a flood of bad records: all kept, the log rate-limited
        h.processElement(new StreamRecord<>(ParsedRecord.invalid(bad), 0));
      }
      h.processElement(new StreamRecord<>(ParsedRecord.valid(t), 1));
      assertThat(h.extractOutputValues()).containsExactly(t);
      assertThat(h.getSideOutput(RouteInvalidRecords.DEAD_LETTERS))
          .hasSize(50)
          .allSatisfy(r -> assertThat(r.getValue()).isEqualTo(bad));
    }
  }
}
