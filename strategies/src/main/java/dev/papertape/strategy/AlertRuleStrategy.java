package dev.papertape.strategy;

import dev.papertape.model.Signal;
import dev.papertape.model.WindowMetrics;
import java.math.BigDecimal;

/**
 * Evaluates an {@link AlertRule} on its symbol's metrics of its window size, firing once per
 * crossing:
 *
 * <ul>
 *   <li>{@code >} / {@code <}: fires on a window where the condition holds and did not hold on the
 *       previous consumed window (before the first window it counts as not holding, so a rule added
 *       while the condition already holds fires once on the next window); it re-arms only after a
 *       window where the condition is false;
 *   <li>{@code crosses_above}: fires when the previous window's value ≤ threshold and this one's
 *       &gt; threshold; {@code crosses_below}: previous ≥ threshold and now &lt; threshold; both
 *       need a previous value, so never on the first window.
 * </ul>
 *
 * The ALERT has side {@code null}, price the window's close, ts the window's end.
 */
public final class AlertRuleStrategy extends WindowedStrategy<AlertRuleStrategy.State> {
  /** The fingerprint's type name. */
  public static final String NAME = "alert-rule";

  /**
   * The own state.
   *
   * @param previous the field's value on the last consumed window, {@code null} before
   * @param held whether the condition held on that window (for {@code >} and {@code <})
   */
  public record State(BigDecimal previous, boolean held) {}

  private final AlertRule rule;

  AlertRuleStrategy(AlertRule rule) {
    super(rule.id(), rule.window(), NAME + "{" + rule.canonical() + "}");
    this.rule = rule;
  }

  public AlertRule rule() {
    return rule;
  }

  @Override
  protected boolean accepts(WindowMetrics m) {
    return m.symbol().equals(rule.symbol());
  }

  @Override
  protected State initial() {
    return new State(null, false);
  }

  @Override
  protected Step<State> next(State s, WindowMetrics m) {
    BigDecimal value = rule.field().of(m);
    BigDecimal t = rule.threshold();
    int cmp = value.compareTo(t);
    boolean fire;
    boolean held;
    switch (rule.op()) {
      case GREATER:
        held = cmp > 0;
        fire = held && !s.held();
        break;
      case LESS:
        held = cmp < 0;
        fire = held && !s.held();
        break;
      case CROSSES_ABOVE:
        held = cmp > 0;
        fire = s.previous() != null && s.previous().compareTo(t) <= 0 && cmp > 0;
        break;
      default:
        held = cmp < 0;
        fire = s.previous() != null && s.previous().compareTo(t) >= 0 && cmp < 0;
        break;
    }
    State next = new State(value, held);
    if (!fire) {
      return Step.quiet(next);
    }
    String shown =
        rule.field() == AlertRule.Field.CHANGE_PCT
            ? Decimals.show(value) + "%"
            : Decimals.show(value);
    String reason =
        m.symbol()
            + " "
            + rule.field().label()
            + " "
            + shown
            + " "
            + (rule.op() == AlertRule.Op.CROSSES_ABOVE
                ? "crossed above"
                : rule.op() == AlertRule.Op.CROSSES_BELOW ? "crossed below" : rule.op().label())
            + " "
            + rule.threshold().toPlainString()
            + " (rule "
            + rule.id()
            + ", "
            + m.window().label()
            + " window)";
    return emit(next, signal(m, Signal.Kind.ALERT, null, reason));
  }

  @Override
  void write(State s, StateFormat.Writer out) {
    out.writeDecimal(s.previous()).writeByte(s.held() ? 1 : 0);
  }

  @Override
  State read(StateFormat.Reader in) {
    BigDecimal previous = in.readDecimal();
    byte held = in.readByte();
    if (held != 0 && held != 1) {
      throw new StateFormatException("rule " + id() + ": damaged state (flag " + held + ")");
    }
    return new State(previous, held == 1);
  }
}
