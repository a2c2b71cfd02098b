package dev.papertape.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FillModelSettingsTest {
  @Test
  void theApisDefaultsAndNamesAndLimits() {
    FillModelSettings d = FillModelSettings.from(Map.<String, String>of()::get);
    assertThat(d.fillModel())
        .isEqualTo(new FillModel(new Slippage.BasisPoints(BigDecimal.ONE), new Commission.None()));
    assertThat(d.describe()).isEqualTo("slippage 1 bps, no commission");
    FillModelSettings c =
        FillModelSettings.from(
            Map.of(
                    "PAPERTAPE_SLIPPAGE_BPS", "0",
                    "PAPERTAPE_COMMISSION_BPS", "5",
                    "PAPERTAPE_COMMISSION_MIN", "1",
                    "PAPERTAPE_COMMISSION_MAX", "9.99")
                ::get);
    assertThat(c.fillModel().commission())
        .isEqualTo(
            new Commission.BasisPoints(
                new BigDecimal("5"), new BigDecimal("1"), new BigDecimal("9.99")));
    assertThatThrownBy(() -> FillModelSettings.from(Map.of("PAPERTAPE_SLIPPAGE_BPS", "x")::get))
        .hasMessage("PAPERTAPE_SLIPPAGE_BPS must be a decimal number, got 'x'");
    assertThatThrownBy(
            () -> FillModelSettings.from(Map.of("PAPERTAPE_COMMISSION_BPS", "1001")::get))
        .hasMessage("PAPERTAPE_COMMISSION_BPS must be between 0 and 1000, got 1001");
    assertThatThrownBy(() -> FillModelSettings.from(Map.of("PAPERTAPE_COMMISSION_MIN", "1")::get))
        .hasMessageContaining("apply to the per-share or bps commission only");
  }
}
