package dev.papertape.ledger;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The fill model's settings, named as the API reads them ({@code PAPERTAPE_SLIPPAGE_*}, {@code
 * PAPERTAPE_COMMISSION_*}), with the API's defaults and limits, validated: a bad value is an {@link
 * IllegalArgumentException} naming the variable and the accepted values. The backtest reads them
 * from its environment; the API's {@code PortfolioProperties} validates through it.
 *
 * @param slippageBps {@code PAPERTAPE_SLIPPAGE_BPS}, 0-1000, at most 4 places, default 1
 * @param slippagePerShare {@code PAPERTAPE_SLIPPAGE_PER_SHARE}, 0-100, 8 places, default 0
 * @param commissionPerShare {@code PAPERTAPE_COMMISSION_PER_SHARE}, 0-100, 8 places, default 0
 * @param commissionBps {@code PAPERTAPE_COMMISSION_BPS}, 0-1000, 4 places, default 0
 * @param commissionFlat {@code PAPERTAPE_COMMISSION_FLAT}, 0-10000, cents, default 0
 * @param commissionMin {@code PAPERTAPE_COMMISSION_MIN}, 0-10000, cents, default 0
 * @param commissionMax {@code PAPERTAPE_COMMISSION_MAX}, 0-1000000, cents, default 0 (none)
 */
public record FillModelSettings(
    BigDecimal slippageBps,
    BigDecimal slippagePerShare,
    BigDecimal commissionPerShare,
    BigDecimal commissionBps,
    BigDecimal commissionFlat,
    BigDecimal commissionMin,
    BigDecimal commissionMax) {

  public FillModelSettings {
    slippageBps = check("PAPERTAPE_SLIPPAGE_BPS", slippageBps, "1", "1000", 4);
    slippagePerShare = check("PAPERTAPE_SLIPPAGE_PER_SHARE", slippagePerShare, "0", "100", 8);
    commissionPerShare = check("PAPERTAPE_COMMISSION_PER_SHARE", commissionPerShare, "0", "100", 8);
    commissionBps = check("PAPERTAPE_COMMISSION_BPS", commissionBps, "0", "1000", 4);
    commissionFlat = check("PAPERTAPE_COMMISSION_FLAT", commissionFlat, "0", "10000", 2);
    commissionMin = check("PAPERTAPE_COMMISSION_MIN", commissionMin, "0", "10000", 2);
    commissionMax = check("PAPERTAPE_COMMISSION_MAX", commissionMax, "0", "1000000", 2);
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

  /**
   * From variables looked up by name ({@code System::getenv}); an absent or blank one takes its
   * default.
   *
   * @throws IllegalArgumentException naming the variable when a value is not a number or out of
   *     range
   */
  public static FillModelSettings from(Function<String, String> env) {
    return new FillModelSettings(
        decimal(env, "PAPERTAPE_SLIPPAGE_BPS"),
        decimal(env, "PAPERTAPE_SLIPPAGE_PER_SHARE"),
        decimal(env, "PAPERTAPE_COMMISSION_PER_SHARE"),
        decimal(env, "PAPERTAPE_COMMISSION_BPS"),
        decimal(env, "PAPERTAPE_COMMISSION_FLAT"),
        decimal(env, "PAPERTAPE_COMMISSION_MIN"),
        decimal(env, "PAPERTAPE_COMMISSION_MAX"));
  }

  private static BigDecimal decimal(Function<String, String> env, String name) {
    String v = env.apply(name);
    if (v == null || v.isBlank()) {
      return null;
    }
    String t = v.trim();
    try {
      if (t.length() > 30) {
        throw new NumberFormatException();
      }
      return new BigDecimal(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name
              + " must be a decimal number, got '"
              + (t.length() > 30 ? t.substring(0, 30) + "…" : t)
              + "'");
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

  /** One line for a report: the slippage and commission in effect. */
  public String describe() {
    String slip =
        slippageBps.signum() > 0
            ? "slippage " + slippageBps.stripTrailingZeros().toPlainString() + " bps"
            : slippagePerShare.signum() > 0
                ? "slippage " + slippagePerShare.stripTrailingZeros().toPlainString() + "/share"
                : "no slippage";
    String fee;
    if (commissionPerShare.signum() > 0) {
      fee = "commission " + commissionPerShare.stripTrailingZeros().toPlainString() + "/share";
    } else if (commissionBps.signum() > 0) {
      fee = "commission " + commissionBps.stripTrailingZeros().toPlainString() + " bps";
    } else if (commissionFlat.signum() > 0) {
      fee = "commission " + commissionFlat.toPlainString() + " flat";
    } else {
      fee = "no commission";
    }
    if (commissionMin.signum() > 0) {
      fee += ", min " + commissionMin.toPlainString();
    }
    if (commissionMax.signum() > 0) {
      fee += ", max " + commissionMax.toPlainString();
    }
    return slip + ", " + fee;
  }
}
