package dev.papertape.api.portfolio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.papertape.ledger.Commission;
import dev.papertape.ledger.Slippage;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Settings fail fast, naming the variable and what is accepted. */
class PortfolioPropertiesTest {
  private static BigDecimal d(String s) {
    return s == null ? null : new BigDecimal(s);
  }

  private static PortfolioProperties props(
      String slipBps,
      String slipShare,
      String perShare,
      String bps,
      String flat,
      String min,
      String max,
      Duration age) {
    return new PortfolioProperties(
        d(slipBps), d(slipShare), d(perShare), d(bps), d(flat), d(min), d(max), age, false);
  }

  @Test
  void defaultsAreOneBasisPointOfSlippageAndNoCommission() {
    PortfolioProperties p = props(null, null, null, null, null, null, null, null);
    assertThat(p.maxPriceAge()).isEqualTo(Duration.ofSeconds(60));
    assertThat(p.fillModel().slippage()).isEqualTo(new Slippage.BasisPoints(d("1")));
    assertThat(p.fillModel().commission()).isInstanceOf(Commission.None.class);
  }

  @Test
  void buildsEachModel() {
    assertThat(props("0", "0.01", "0.005", "0", "0", "1", "5", null).fillModel())
        .satisfies(
            m -> {
              assertThat(m.slippage()).isEqualTo(new Slippage.PerShare(d("0.01")));
              assertThat(m.commission())
                  .isEqualTo(new Commission.PerShare(d("0.005"), d("1"), d("5")));
            });
    assertThat(props("0", "0", "0", "0", "4.95", "0", "0", null).fillModel().commission())
        .isEqualTo(new Commission.Flat(d("4.95")));
    assertThat(props("0", "0", "0", "2", "0", "0", "0", null).fillModel().slippage())
        .isInstanceOf(Slippage.None.class);
  }

  @Test
  void refusesBadSettingsByName() {
    assertThatThrownBy(() -> props("-1", null, null, null, null, null, null, null))
        .hasMessageContaining("PAPERTAPE_SLIPPAGE_BPS must be between 0 and 1000");
    assertThatThrownBy(() -> props("5", "0.01", null, null, null, null, null, null))
        .hasMessageContaining("PAPERTAPE_SLIPPAGE_PER_SHARE are both set");
    assertThatThrownBy(() -> props(null, null, "0.01", "1", null, null, null, null))
        .hasMessageContaining("choose one commission model");
    assertThatThrownBy(() -> props(null, null, null, null, "1", "1", null, null))
        .hasMessageContaining("PAPERTAPE_COMMISSION_MIN and PAPERTAPE_COMMISSION_MAX apply");
    assertThatThrownBy(() -> props(null, null, "0.01", null, null, "5", "1", null))
        .hasMessageContaining("PAPERTAPE_COMMISSION_MAX (1)");
    assertThatThrownBy(() -> props(null, null, null, null, "1.001", null, null, null))
        .hasMessageContaining("at most 2 decimal places");
    assertThatThrownBy(() -> props(null, null, null, null, null, null, null, Duration.ZERO))
        .hasMessageContaining("PAPERTAPE_MAX_PRICE_AGE must be between 1s and 1d");
  }
}
