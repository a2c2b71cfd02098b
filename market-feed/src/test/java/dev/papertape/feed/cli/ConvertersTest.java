package dev.papertape.feed.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.papertape.config.Durations;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** Duration flags ({@code --duration}, {@code --bar-interval}) go through the one parser. */
class ConvertersTest {
  private final Converters.DurationConverter durations = new Converters.DurationConverter();

  @Test
  void durationFlagsTakeTheShortAndIsoForms() {
    assertThat(durations.convert("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(durations.convert("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(durations.convert("1m")).isEqualTo(Duration.ofMinutes(1));
    assertThat(durations.convert("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(durations.convert("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(durations.convert("PT5M")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.format(Duration.ofDays(1))).isEqualTo("1d");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    for (String bad : new String[] {"", "0s", "1y", "m", "PT-1S", "soon", "999999999999d"}) {
      assertThatThrownBy(() -> durations.convert(bad))
          .isInstanceOf(TypeConversionException.class)
          .hasMessage(
              "duration '"
                  + bad
                  + "' is invalid: expected a duration like 250ms, 30s, 1m, 2h, 1d or PT5S,"
                  + " greater than 0");
    }
  }
}
