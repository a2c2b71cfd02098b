package dev.papertape.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpeedTest {
  @Test
  void parsesTheNamedSpeedsAndFactors() {
    assertThat(Speed.parse("max")).isEqualTo(Speed.MAX);
    assertThat(Speed.parse(" MAX ").isMax()).isTrue();
    assertThat(Speed.parse("realtime")).isEqualTo(Speed.REALTIME);
    assertThat(Speed.parse("1x").isRealtime()).isTrue();
    assertThat(Speed.parse("10x").factor()).isEqualTo(10.0);
    assertThat(Speed.parse("0.5x").factor()).isEqualTo(0.5);
  }

  @Test
  void printsAsItIsWritten() {
    assertThat(Speed.MAX).hasToString("max");
    assertThat(Speed.REALTIME).hasToString("realtime");
    assertThat(Speed.parse("10x")).hasToString("10x");
    assertThat(Speed.parse("2.50x")).hasToString("2.5x");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "fast", "x", "0x", "-2x", "10", "tenx", "1e9x"})
  void rejectsAnythingElseNamingTheAcceptedValues(String text) {
    assertThatThrownBy(() -> Speed.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected max, realtime or a factor like 10x");
  }
}
