package dev.papertape.feed.sim;

import java.util.random.RandomGenerator;

/**
 * Trade sizes: log-normal around a median, rounded to whole shares and clamped to [min, max].
 *
 * <p>{@code size = clamp(round(median × exp(sigma × Z)), min, max)} with Z standard normal, so half
 * the trades are at most {@code median} shares and {@code sigma} (the standard deviation of {@code
 * ln size}) sets the spread: with the defaults (median 100, sigma 1) about 68% of trades are
 * between 37 and 272 shares and one in 20,000 reaches the 10,000 cap.
 *
 * @param min smallest size, at least 1
 * @param max largest size, at least {@code min}
 * @param median median size, within [min, max]
 * @param sigma standard deviation of the size's natural logarithm, at least 0
 */
public record SizeDistribution(long min, long max, long median, double sigma) {
  public static final SizeDistribution DEFAULT = new SizeDistribution(1, 10_000, 100, 1.0);

  public SizeDistribution {
    if (min < 1) {
      throw new IllegalArgumentException("minimum size must be at least 1, got " + min);
    }
    if (max < min) {
      throw new IllegalArgumentException(
          "maximum size " + max + " must be at least the minimum size " + min);
    }
    if (median < min || median > max) {
      throw new IllegalArgumentException(
          "median size " + median + " must be within [" + min + ", " + max + "]");
    }
    if (!(sigma >= 0) || !Double.isFinite(sigma)) {
      throw new IllegalArgumentException("size sigma must be at least 0, got " + sigma);
    }
  }

  /** Draws one size. */
  public long sample(RandomGenerator rng) {
    double v = median * Math.exp(sigma * rng.nextGaussian());
    if (!(v < max)) {
      return max;
    }
    return Math.max(min, Math.round(v));
  }
}
