package dev.papertape.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.papertape.model.MetricWindow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {
  @Test
  void readsTypedValuesWithDefaults() {
    Settings s =
        new Settings(
            Map.of(
                "A_INT", "42", "A_DUR", "250ms", "A_ISO", "PT2S", "A_LIST", "1s, 5m", "A_BOOL",
                "yes"));
    assertThat(s.integer("A_INT", 1, 0, 100)).isEqualTo(42);
    assertThat(s.integer("MISSING", 7, 0, 100)).isEqualTo(7);
    assertThat(s.duration("A_DUR", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
    assertThat(s.duration("A_ISO", Duration.ZERO)).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.list("A_LIST", List.of(), MetricWindow::parse, "windows"))
        .containsExactly(MetricWindow.S1, MetricWindow.M5);
    assertThat(s.bool("A_BOOL", false)).isTrue();
  }

  @Test
  void badValuesNameTheSettingAndTheAcceptedValues() {
    Settings s = new Settings(Map.of("N", "lots", "R", "500", "D", "soon", "W", "1s,2m"));
    assertThatThrownBy(() -> s.integer("N", 1, 0, 10))
        .hasMessage("setting N='lots' is invalid: expected a whole number in [0, 10]");
    assertThatThrownBy(() -> s.integer("R", 1, 0, 10)).hasMessageContaining("setting R='500'");
    assertThatThrownBy(() -> s.duration("D", Duration.ZERO))
        .hasMessageContaining("setting D='soon' is invalid: expected a duration like 250ms");
    assertThatThrownBy(() -> s.list("W", List.of(), MetricWindow::parse, "a subset of 1s, 1m"))
        .hasMessageContaining("setting W='1s,2m' is invalid")
        .hasMessageContaining("'2m' is not a window");
  }
}
