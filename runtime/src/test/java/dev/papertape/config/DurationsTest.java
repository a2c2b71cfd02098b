package dev.papertape.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  static Stream<Arguments> acceptedForms() {
    return Stream.of(
        // every unit of the short form
        Arguments.of("250ms", Duration.ofMillis(250)),
        Arguments.of("30s", Duration.ofSeconds(30)),
        Arguments.of("1m", Duration.ofMinutes(1)),
        Arguments.of("2h", Duration.ofHours(2)),
        Arguments.of("1d", Duration.ofDays(1)),
        // case, surrounding blanks and blanks before the unit (Settings accepted these)
        Arguments.of("5S", Duration.ofSeconds(5)),
        Arguments.of("  5s  ", Duration.ofSeconds(5)),
        Arguments.of("5 s", Duration.ofSeconds(5)),
        Arguments.of("250 MS", Duration.ofMillis(250)),
        // leading zeros and more than 12 digits (the feed's parser stopped at 12)
        Arguments.of("007s", Duration.ofSeconds(7)),
        Arguments.of("1000000000000ms", Duration.ofMillis(1_000_000_000_000L)),
        // ISO-8601, any case
        Arguments.of("PT5S", Duration.ofSeconds(5)),
        Arguments.of("pt5m", Duration.ofMinutes(5)),
        Arguments.of("PT1M30S", Duration.ofSeconds(90)),
        Arguments.of("PT0.5S", Duration.ofMillis(500)),
        Arguments.of("P1D", Duration.ofDays(1)),
        Arguments.of("P1DT2H", Duration.ofHours(26)),
        // the largest values that fit in a long of milliseconds
        Arguments.of(Long.MAX_VALUE + "ms", Duration.ofMillis(Long.MAX_VALUE)),
        Arguments.of("106751991167d", Duration.ofDays(106_751_991_167L)),
        Arguments.of("2562047788015h", Duration.ofHours(2_562_047_788_015L)));
  }

  @ParameterizedTest
  @MethodSource("acceptedForms")
  void parsesEveryAcceptedForm(String text, Duration expected) {
    assertThat(Durations.parse(text)).isEqualTo(expected);
    assertThat(Durations.parsePositive(text)).isEqualTo(expected);
  }

  @Test
  void zeroAndNegativeIsoAreDurationsButNotPositiveOnes() {
    assertThat(Durations.parse("0s")).isEqualTo(Duration.ZERO);
    assertThat(Durations.parse("0ms")).isEqualTo(Duration.ZERO);
    assertThat(Durations.parse("PT0S")).isEqualTo(Duration.ZERO);
    assertThat(Durations.parse("PT-1S")).isEqualTo(Duration.ofSeconds(-1));
    for (String notPositive : new String[] {"0s", "0ms", "PT0S", "PT-1S", "-PT1S"}) {
      assertThatThrownBy(() -> Durations.parsePositive(notPositive))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "duration '"
                  + notPositive
                  + "' is invalid: expected a duration like 250ms, 30s, 1m, 2h, 1d or PT5S,"
                  + " greater than 0");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // one more than fits in a long of milliseconds, for each unit and for ISO-8601
        "9223372036854775808ms",
        "9223372036854776s",
        "153722867280913m",
        "2562047788016h",
        "106751991168d",
        "PT2562047788016H",
        "P106751991168D",
        // too large even for Duration or for a long
        "99999999999999999999ms",
        "999999999999d",
        "PT99999999999999999999H"
      })
  void refusesValuesTooLargeInsteadOfWrapping(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "duration '"
                + text
                + "' is invalid: expected a duration like 250ms, 30s, 1m, 2h, 1d or PT5S");
    assertThatThrownBy(() -> Durations.parsePositive(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith(", greater than 0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "soon", "1y", "m", "5", "-5s", "+5s", "1.5s", "5 s s", "PT5X"})
  void refusesAnythingElseNamingTheAcceptedForms(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a duration like 250ms, 30s, 1m, 2h, 1d or PT5S");
  }

  @Test
  void nullIsRefusedLikeBlank() {
    assertThatThrownBy(() -> Durations.parse(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected a duration like");
  }

  @Test
  void formatsInTheLargestWholeUnit() {
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Durations.format(Duration.ofSeconds(30))).isEqualTo("30s");
    assertThat(Durations.format(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(Durations.format(Duration.ofHours(2))).isEqualTo("2h");
    assertThat(Durations.format(Duration.ofDays(1))).isEqualTo("1d");
    assertThat(Durations.parse(Durations.format(Duration.ofMinutes(90))))
        .isEqualTo(Duration.ofMinutes(90));
  }
}
