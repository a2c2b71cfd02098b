package dev.papertape.feed.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GbmProcessTest {
  @Test
  void aStepWithoutShockGrowsByTheItoCorrectedDrift() {
    GbmProcess p = new GbmProcess(100, 0.05, 0.3);
    double dt = 1.0 / 252;

    assertThat(p.step(dt, 0)).isCloseTo(100 * Math.exp((0.05 - 0.045) * dt), within(1e-12));
    assertThat(p.step(0, 3)).isEqualTo(p.price());
  }

  @Test
  void logReturnsHaveTheConfiguredMeanAndStandardDeviation() {
    double mu = 0.5;
    double sigma = 0.3;
    double dt = 1.0 / 252;
    int n = 200_000;
    GbmProcess p = new GbmProcess(100, mu, sigma);
    SplittableRandom rng = new SplittableRandom(2026);

    double sum = 0;
    double sumSquares = 0;
    double previous = p.price();
    for (int i = 0; i < n; i++) {
      double next = p.step(dt, rng.nextGaussian());
      assertThat(next).isPositive();
      double r = Math.log(next / previous);
      sum += r;
      sumSquares += r * r;
      previous = next;
    }
    double mean = sum / n;
    double sd = Math.sqrt(sumSquares / n - mean * mean);
    double standardError = sigma * Math.sqrt(dt) / Math.sqrt(n);

    assertThat(mean).isCloseTo((mu - sigma * sigma / 2) * dt, within(4 * standardError));
    assertThat(sd / Math.sqrt(dt)).isCloseTo(sigma, within(sigma * 0.01));
    // annualised, as configured
    assertThat(mean / dt + sd * sd / dt / 2).isCloseTo(mu, within(0.15));
  }
}
