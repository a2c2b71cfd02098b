package dev.papertape.strategy;

import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.MetricWindow;
import dev.papertape.model.Prices;
import dev.papertape.model.Symbols;
import dev.papertape.model.TextFields;
import dev.papertape.model.WindowMetrics;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * An alert rule, validated: "when {@code field} of {@code symbol}'s {@code window} metrics {@code
 * op} {@code threshold}, send an ALERT". {@link #strategy()} evaluates it.
 *
 * @param id the rule id, a signal's {@code source} (see {@link Ids})
 * @param symbol the one symbol it watches
 * @param field what is compared
 * @param op how
 * @param threshold against what: for price and vwap a price (0 &lt; t &lt; 10^10, at most 8
 *     places), for volume a whole number from 0, for changePct a percentage from −100 to 10,000
 *     with at most 8 places
 * @param window the window size whose metrics it reads (default 1m)
 */
public record AlertRule(
    String id, String symbol, Field field, Op op, BigDecimal threshold, MetricWindow window) {

  /** What a rule compares; {@link #label()} is the wire form. */
  public enum Field {
    /** The window's close. */
    PRICE("price"),
    /** The window's VWAP. */
    VWAP("vwap"),
    /** The window's volume. */
    VOLUME("volume"),
    /** (close − open) / open × 100, rounded to 16 places half-up. */
    CHANGE_PCT("changePct");

    private final String label;

    Field(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    /** The field's value for a window. */
    public BigDecimal of(WindowMetrics m) {
      switch (this) {
        case PRICE:
          return m.close();
        case VWAP:
          return m.vwap();
        case VOLUME:
          return BigDecimal.valueOf(m.volume());
        default:
          return Decimals.divide(m.close().subtract(m.open()).multiply(Decimals.HUNDRED), m.open());
      }
    }

    /** Parses a label exactly ({@code price}, {@code vwap}, {@code volume}, {@code changePct}). */
    public static Field parse(String v) {
      for (Field f : values()) {
        if (f.label.equals(v)) {
          return f;
        }
      }
      throw new InvalidRecordException(
          "field",
          (v == null ? "is missing" : TextFields.quote(v) + " is not a field")
              + "; accepted: "
              + Arrays.stream(values()).map(Field::label).collect(Collectors.joining(", ")));
    }
  }

  /** How a rule compares; {@link #label()} is the wire form. */
  public enum Op {
    /** Fires when the value becomes greater than the threshold; re-arms once it is not. */
    GREATER(">"),
    /** Fires when the value becomes less than the threshold; re-arms once it is not. */
    LESS("<"),
    /** Fires when the previous value ≤ threshold and this one &gt; threshold. */
    CROSSES_ABOVE("crosses_above"),
    /** Fires when the previous value ≥ threshold and this one &lt; threshold. */
    CROSSES_BELOW("crosses_below");

    private final String label;

    Op(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    /**
     * Parses a label exactly ({@code >}, {@code <}, {@code crosses_above}, {@code crosses_below}).
     */
    public static Op parse(String v) {
      for (Op o : values()) {
        if (o.label.equals(v)) {
          return o;
        }
      }
      throw new InvalidRecordException(
          "op",
          (v == null ? "is missing" : TextFields.quote(v) + " is not an operator")
              + "; accepted: "
              + Arrays.stream(values()).map(Op::label).collect(Collectors.joining(", ")));
    }
  }

  private static final BigDecimal MIN_CHANGE_PCT = BigDecimal.valueOf(-100);
  private static final BigDecimal MAX_CHANGE_PCT = BigDecimal.valueOf(10_000);
  private static final BigDecimal MAX_VOLUME = BigDecimal.valueOf(Long.MAX_VALUE);

  /**
   * @throws InvalidRecordException naming the field and what is accepted
   */
  public AlertRule {
    id = Ids.check("id", id);
    symbol = Symbols.normalize("symbol", symbol);
    if (field == null) {
      throw new InvalidRecordException("field", "is missing");
    }
    if (op == null) {
      throw new InvalidRecordException("op", "is missing");
    }
    threshold = checkThreshold(field, threshold);
    window = window == null ? MetricWindow.M1 : window;
  }

  private static BigDecimal checkThreshold(Field field, BigDecimal t) {
    if (t == null) {
      throw new InvalidRecordException("threshold", "is missing");
    }
    switch (field) {
      case PRICE:
      case VWAP:
        return Prices.canonical("threshold", t);
      case VOLUME:
        if (t.signum() < 0
            || t.compareTo(MAX_VOLUME) > 0
            || t.signum() != 0 && t.stripTrailingZeros().scale() > 0) {
          throw new InvalidRecordException(
              "threshold", "a volume threshold must be a whole number from 0 to " + Long.MAX_VALUE);
        }
        return new BigDecimal(t.toBigIntegerExact());
      default:
        if (t.compareTo(MIN_CHANGE_PCT) < 0
            || t.compareTo(MAX_CHANGE_PCT) > 0
            || t.signum() != 0 && t.stripTrailingZeros().scale() > Prices.SCALE) {
          throw new InvalidRecordException(
              "threshold",
              "a changePct threshold must be from -100 to 10000 with at most "
                  + Prices.SCALE
                  + " decimal places");
        }
        BigDecimal c = t.signum() == 0 ? BigDecimal.ZERO : t.stripTrailingZeros();
        return c.scale() < 0 ? c.setScale(0) : c;
    }
  }

  /** The rule's evaluator. */
  public Strategy<?> strategy() {
    return new AlertRuleStrategy(this);
  }

  /** {@code field=…,op=…,symbol=…,threshold=…,window=…}: part of the state fingerprint. */
  String canonical() {
    return "field="
        + field.label()
        + ",op="
        + op.label()
        + ",symbol="
        + symbol
        + ",threshold="
        + threshold.toPlainString()
        + ",window="
        + window.label();
  }
}
