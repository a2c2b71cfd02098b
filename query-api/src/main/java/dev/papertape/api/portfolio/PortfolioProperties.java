package dev.papertape.api.portfolio;

import dev.papertape.ledger.Commission;
import dev.papertape.ledger.FillModel;
import dev.papertape.ledger.Slippage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    slippageBps = check("PAPERTAPE_SLIPPAGE_BPS", slippageBps, "1", "1000", 4);
    slippagePerShare = check("PAPERTAPE_SLIPPAGE_PER_SHARE", slippagePerShare, "0", "100", 8);
    commissionPerShare = check("PAPERTAPE_COMMISSION_PER_SHARE", commissionPerShare, "0", "100", 8);
    commissionBps = check("PAPERTAPE_COMMISSION_BPS", commissionBps, "0", "1000", 4);
    commissionFlat = check("PAPERTAPE_COMMISSION_FLAT", commissionFlat, "0", "10000", 2);
    commissionMin = check("PAPERTAPE_COMMISSION_MIN", commissionMin, "0", "10000", 2);
    commissionMax = check("PAPERTAPE_COMMISSION_MAX", commissionMax, "0", "1000000", 2);
    if (maxPriceAge == null) {
      maxPriceAge = Duration.ofSeconds(60);
    }
    if (maxPriceAge.compareTo(Duration.ofSeconds(1)) < 0
        || maxPriceAge.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException(
          "PAPERTAPE_MAX_PRICE_AGE must be between 1s and 1d, got " + maxPriceAge);
    }
    if (slippageBps.signum() > 0 && slippagePerShare.signum() > 0) {
      throw new IllegalArgumentException(
          "PAPERTAPE_SLIPPAGE_BPS and PAPERTAPE_SLIPPAGE_PER_SHARE are both set: choose one"
              + " (PAPERTAPE_SLIPPAGE_BPS=0 to use a per-share slippage)");
    }
    List<String> models = new ArrayList<>();
    if (commissionPerShare.signum() > 0) {
      models.add("PAPERTAPE_COMMISSION_PER_SHARE");
    }
    if (commissionBps.signum() > 0) {
      models.add("PAPERTAPE_COMMISSION_BPS");
    }
    if (commissionFlat.signum() > 0) {
      models.add("PAPERTAPE_COMMISSION_FLAT");
    }
    if (models.size() > 1) {
      throw new IllegalArgumentException(
          String.join(" and ", models) + " are set: choose one commission model");
    }
    boolean clamped = commissionPerShare.signum() > 0 || commissionBps.signum() > 0;
    if (!clamped && (commissionMin.signum() > 0 || commissionMax.signum() > 0)) {
      throw new IllegalArgumentException(
          "PAPERTAPE_COMMISSION_MIN and PAPERTAPE_COMMISSION_MAX apply to the per-share or bps"
              + " commission only: set PAPERTAPE_COMMISSION_PER_SHARE or PAPERTAPE_COMMISSION_BPS");
    }
    if (commissionMax.signum() > 0 && commissionMax.compareTo(commissionMin) < 0) {
      throw new IllegalArgumentException(
          "PAPERTAPE_COMMISSION_MAX ("
              + commissionMax
              + ") must be 0 (no maximum) or at least PAPERTAPE_COMMISSION_MIN ("
              + commissionMin
              + ")");
    }
  }

  private static BigDecimal check(
      String name, BigDecimal value, String fallback, String max, int scale) {
    BigDecimal v = value == null ? new BigDecimal(fallback) : value;
    if (v.signum() < 0 || v.compareTo(new BigDecimal(max)) > 0) {
      throw new IllegalArgumentException(
          name + " must be between 0 and " + max + ", got " + v.toPlainString());
    }
    if (v.stripTrailingZeros().scale() > scale) {
      throw new IllegalArgumentException(
          name + " must have at most " + scale + " decimal places, got " + v.toPlainString());
    }
    return v;
  }

  /** The fill model these settings describe. */
  public FillModel fillModel() {
    Slippage slippage =
        slippageBps.signum() > 0
            ? new Slippage.BasisPoints(slippageBps)
            : slippagePerShare.signum() > 0
                ? new Slippage.PerShare(slippagePerShare)
                : new Slippage.None();
    Commission commission;
    if (commissionPerShare.signum() > 0) {
      commission = new Commission.PerShare(commissionPerShare, commissionMin, commissionMax);
    } else if (commissionBps.signum() > 0) {
      commission = new Commission.BasisPoints(commissionBps, commissionMin, commissionMax);
    } else if (commissionFlat.signum() > 0) {
      commission = new Commission.Flat(commissionFlat);
    } else {
      commission = new Commission.None();
    }
    return new FillModel(slippage, commission);
  }
}
