package dev.papertape.api.portfolio;

import dev.papertape.ledger.FillModel;
import dev.papertape.ledger.FillModelSettings;
import java.math.BigDecimal;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How paper fills are priced and which rules they pass, validated at start (a bad setting stops the
 * API with a message naming the variable and the accepted values).
 *
 * @param slippageBps {@code PAPERTAPE_SLIPPAGE_BPS} (0-1000, default 1): the fill price is the
 *     market price × (1 ± bps/10000), against the trader
 * @param slippagePerShare {@code PAPERTAPE_SLIPPAGE_PER_SHARE} (0-100 USD, at most 8 decimals,
 *     default 0): the fill price is the market price ± this amount; set {@code
 *     PAPERTAPE_SLIPPAGE_BPS=0} to use it
 * @param commissionPerShare {@code PAPERTAPE_COMMISSION_PER_SHARE} (0-100 USD, default 0)
 * @param commissionBps {@code PAPERTAPE_COMMISSION_BPS} (0-1000, default 0): of the gross amount
 * @param commissionFlat {@code PAPERTAPE_COMMISSION_FLAT} (0-10000 USD, cents, default 0): per fill
 * @param commissionMin {@code PAPERTAPE_COMMISSION_MIN} (0-10000 USD, cents, default 0): the least
 *     commission of a fill, with the per-share or bps model
 * @param commissionMax {@code PAPERTAPE_COMMISSION_MAX} (0-1000000 USD, cents, default 0 = none):
 *     the most commission of a fill, with the per-share or bps model; at least the minimum
 * @param maxPriceAge {@code PAPERTAPE_MAX_PRICE_AGE} (1s-1d, default 60s): a market order against
 *     an older latest trade is refused (409 stale-price)
 * @param allowShort {@code PAPERTAPE_ALLOW_SHORT} (default false): whether portfolios created or
 *     reset from now on may sell short
 */
@ConfigurationProperties("papertape.portfolio")
public record PortfolioProperties(
    BigDecimal slippageBps,
    BigDecimal slippagePerShare,
    BigDecimal commissionPerShare,
    BigDecimal commissionBps,
    BigDecimal commissionFlat,
    BigDecimal commissionMin,
    BigDecimal commissionMax,
    Duration maxPriceAge,
    boolean allowShort) {

  public PortfolioProperties {
    // the fill model's settings: the ledger's rules, defaults and messages (FillModelSettings)
    FillModelSettings fills =
        new FillModelSettings(
            slippageBps,
            slippagePerShare,
            commissionPerShare,
            commissionBps,
            commissionFlat,
            commissionMin,
            commissionMax);
    slippageBps = fills.slippageBps();
    slippagePerShare = fills.slippagePerShare();
    commissionPerShare = fills.commissionPerShare();
    commissionBps = fills.commissionBps();
    commissionFlat = fills.commissionFlat();
    commissionMin = fills.commissionMin();
    commissionMax = fills.commissionMax();
    if (maxPriceAge == null) {
      maxPriceAge = Duration.ofSeconds(60);
    }
    if (maxPriceAge.compareTo(Duration.ofSeconds(1)) < 0
        || maxPriceAge.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException(
          "PAPERTAPE_MAX_PRICE_AGE must be between 1s and 1d, got " + maxPriceAge);
    }
  }

  /** The fill model these settings describe. */
  public FillModel fillModel() {
    return new FillModelSettings(
            slippageBps,
            slippagePerShare,
            commissionPerShare,
            commissionBps,
            commissionFlat,
            commissionMin,
            commissionMax)
        .fillModel();
  }
}
