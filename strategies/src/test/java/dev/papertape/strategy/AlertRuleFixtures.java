package dev.papertape.strategy;

import dev.papertape.model.MetricWindow;
import java.math.BigDecimal;
import java.util.SplittableRandom;

/** Random valid alert rules for the property tests. */
final class AlertRuleFixtures {
  private AlertRuleFixtures() {}

  static AlertRule random(SplittableRandom r, String id) {
    AlertRule.Field field = AlertRule.Field.values()[r.nextInt(AlertRule.Field.values().length)];
    BigDecimal threshold =
        switch (field) {
          case VOLUME -> BigDecimal.valueOf(r.nextLong(0, 1_000_000));
          case CHANGE_PCT -> BigDecimal.valueOf(r.nextLong(-10_000, 10_001), 2);
          default -> BigDecimal.valueOf(r.nextLong(1, 100_000_000), r.nextInt(0, 9));
        };
    return new AlertRule(
        id,
        r.nextBoolean() ? "AAPL" : "brk.b",
        field,
        AlertRule.Op.values()[r.nextInt(AlertRule.Op.values().length)],
        threshold,
        MetricWindow.values()[r.nextInt(MetricWindow.values().length)]);
  }
}
