package dev.papertape.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecurityOpenApiTest {
  @Test
  void thePortfolioIsAlwaysProtected() {
    for (boolean open : new boolean[] {true, false}) {
      assertThat(SecurityOpenApi.protectedPath("/portfolio", open)).isTrue();
      assertThat(SecurityOpenApi.protectedPath("/portfolio/orders/{id}", open)).isTrue();
      assertThat(SecurityOpenApi.protectedPath("/stream/portfolio", open)).isTrue();
      assertThat(SecurityOpenApi.protectedPath("/strategies", open)).isTrue();
      assertThat(SecurityOpenApi.protectedPath("/strategies/{id}/signals", open)).isTrue();
      assertThat(SecurityOpenApi.protectedPath("/alerts/rules/{id}", open)).isTrue();
      assertThat(SecurityOpenApi.protectedPath("/healthz", open)).isFalse();
      assertThat(SecurityOpenApi.protectedPath("/actuator/health", open)).isFalse();
    }
    assertThat(SecurityOpenApi.protectedPath("/portfolios", true)).isFalse();
  }

  @Test
  void marketDataOnlyWhenNotPublic() {
    assertThat(SecurityOpenApi.protectedPath("/symbols/{symbol}/price", true)).isFalse();
    assertThat(SecurityOpenApi.protectedPath("/symbols/{symbol}/price", false)).isTrue();
    assertThat(SecurityOpenApi.protectedPath("/stream/{channel}", false)).isTrue();
    assertThat(SecurityOpenApi.protectedPath("/metrics", false)).isTrue();
  }
}
