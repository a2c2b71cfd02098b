package dev.papertape.feed.sim;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The scripted scenarios the simulator knows ({@code PAPERTAPE_FEED_SCENARIO}, {@code --scenario}).
 */
public enum ScenarioName {
  /** The plain random walk. */
  NONE,
  /** {@link DipScenario#demo}: TSLA dips 6 % about 35 s after the start (./papertape demo). */
  DEMO;

  /** The accepted names, for messages. */
  public static final String ACCEPTED = "none, demo";

  /** {@code none} or {@code demo} (any case). */
  public static ScenarioName parse(String text) {
    for (ScenarioName n : values()) {
      if (n.label().equalsIgnoreCase(text == null ? "" : text.trim())) {
        return n;
      }
    }
    throw new IllegalArgumentException("'" + text + "' is not a scenario; accepted: " + ACCEPTED);
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The symbols this scenario needs among the simulated ones (empty: none). */
  public List<String> needs() {
    return this == DEMO ? List.of(DipScenario.DEMO_SYMBOL) : List.of();
  }

  /** The scenario of a run that starts at {@code start}. */
  public Scenario build(Instant start) {
    return this == DEMO ? DipScenario.demo(start) : Scenario.NONE;
  }
}
