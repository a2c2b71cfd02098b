package dev.papertape.feed.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SizeDistributionTest {
  @Test
  void sizesStayWithinBoundsAndCentreOnTheMedian() {
    SizeDistribution d = new SizeDistribution(10, 1_000, 100, 1.5);
    SplittableRandom rng = new SplittableRandom(1);
    long[] sizes = new long[50_001];
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = d.sample(rng);
      assertThat(sizes[i]).isBetween(10L, 1_000L);
    }
    Arrays.sort(sizes);
    assertThat(sizes[sizes.length / 2]).isBetween(95L, 105L);
    assertThat(sizes[0]).isEqualTo(10); // the clamp is reached with sigma 1.5
    assertThat(sizes[sizes.length - 1]).isEqualTo(1_000);
  }

  @Test
  void sigmaZeroAlwaysGivesTheMedian() {
    SizeDistribution d = new SizeDistribution(1, 500, 200, 0);
    SplittableRandom rng = new SplittableRandom(1);
    for (int i = 0; i < 100; i++) {
      assertThat(d.sample(rng)).isEqualTo(200);
    }
  }

  @Test
  void rejectsInconsistentBounds() {
    assertThatThrownBy(() -> new SizeDistribution(0, 10, 5, 1)).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> new SizeDistribution(10, 5, 7, 1)).hasMessageContaining("maximum");
    assertThatThrownBy(() -> new SizeDistribution(1, 50, 100, 1)).hasMessageContaining("median");
    assertThatThrownBy(() -> new SizeDistribution(1, 50, 10, -1)).hasMessageContaining("sigma");
  }
}
