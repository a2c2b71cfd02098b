package dev.papertape.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    assertThat(s.list("A_LIST", List.of(), SettingsTest::window, "windows"))
        .containsExactly(Window.S1, Window.M5);
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
    assertThatThrownBy(() -> s.list("W", List.of(), SettingsTest::window, "a subset of 1s, 1m"))
        .hasMessageContaining("setting W='1s,2m' is invalid")
        .hasMessageContaining("'2m' is not a window");
  }

  @Test
  void durationsTooLargeForMillisecondsAreRefusedNotWrapped() {
    // 106751991168 days in milliseconds overflow a long: this used to wrap around silently.
    Settings s = new Settings(Map.of("D", "106751991168d", "Z", "0s", "SP", "5 s"));
    assertThatThrownBy(() -> s.duration("D", Duration.ZERO))
        .isInstanceOf(Settings.InvalidSettingException.class)
        .hasMessage(
            "setting D='106751991168d' is invalid: expected a duration like 250ms, 5s, 2m, 1h or PT5S");
    assertThat(s.duration("Z", Duration.ofSeconds(1))).isEqualTo(Duration.ZERO);
    assertThat(s.duration("SP", Duration.ZERO)).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void badIsoDurationsNameTheSetting() {
    Settings s = new Settings(Map.of("D", "PT5X"));
    assertThatThrownBy(() -> s.duration("D", Duration.ZERO))
        .isInstanceOf(Settings.InvalidSettingException.class)
        .hasMessageContaining("setting D='PT5X' is invalid");
  }

  /** A stand-in for a contract's parser (runtime depends on no contract). */
  private enum Window {
    S1,
    M1,
    M5
  }

  private static Window window(String text) {
    return switch (text) {
      case "1s" -> Window.S1;
      case "1m" -> Window.M1;
      case "5m" -> Window.M5;
      default -> throw new IllegalArgumentException("'" + text + "' is not a window");
    };
  }
}
