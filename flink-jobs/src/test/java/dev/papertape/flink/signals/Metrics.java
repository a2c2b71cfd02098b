package dev.papertape.flink.signals;

import dev.papertape.model.MetricWindow;
import dev.papertape.model.WindowMetrics;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Test builders of 1m metrics and of strategy-control records. */
final class Metrics {
  static final Instant T0 = Instant.parse("2026-11-24T14:30:00Z");

  private Metrics() {}

  /** Window {@code i} (0-based from {@link #T0}) of {@code window} with open = vwap = close. */
  static WindowMetrics bar(String symbol, MetricWindow window, int i, String close) {
    Instant start = T0.plus(window.size().multipliedBy(i));
    BigDecimal c = new BigDecimal(close);
    return new WindowMetrics(
        symbol, window, start, start.plus(window.size()), c, c, c, c, 100, c, 3, BigDecimal.ZERO);
  }

  /** 1m window {@code i}. */
  static WindowMetrics m1(String symbol, int i, String close) {
    return bar(symbol, MetricWindow.M1, i, close);
  }

  static ControlRecord control(String key, String json) {
    return ControlRecord.of(
        key, json == null ? null : json.getBytes(StandardCharsets.UTF_8), "strategy-control", 0, 0);
  }

  /** Activates an SMA crossover, fast 1 slow 2, on {@code symbols} (a JSON array or "all"). */
  static ControlRecord activateCrossover(String id, String symbols) {
    return control(
        "strategy/" + id,
        "{\"type\":\"strategy\",\"id\":\""
            + id
            + "\",\"strategy\":\"ma-crossover\",\"params\":{\"fast\":1,\"slow\":2},\"symbols\":"
            + symbols
            + "}");
  }

  static ControlRecord deactivate(String id) {
    return control(
        "strategy/" + id, "{\"type\":\"strategy\",\"id\":\"" + id + "\",\"active\":false}");
  }

  static ControlRecord rule(String id, String symbol, String op, String threshold) {
    return control(
        "alert-rule/" + id,
        "{\"type\":\"alert-rule\",\"id\":\""
            + id
            + "\",\"symbol\":\""
            + symbol
            + "\",\"field\":\"price\",\"op\":\""
            + op
            + "\",\"threshold\":"
            + threshold
            + "}");
  }
}
