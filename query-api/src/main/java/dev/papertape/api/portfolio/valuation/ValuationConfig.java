package dev.papertape.api.portfolio.valuation;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.reactive.config.WebFluxConfigurer;

/**
 * Binds and validates {@code papertape.portfolio.snapshots.*} at start, and binds {@code
 * ?interval=} of {@code GET /portfolio/equity} (a refused text is a 400 invalid-parameter problem
 * naming the parameter, like the market routes' parameters). A blank interval means "not given".
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SnapshotProperties.class)
class ValuationConfig implements WebFluxConfigurer {
  @Override
  public void addFormatters(FormatterRegistry registry) {
    registry.addConverter(
        String.class, EquityInterval.class, s -> s.isBlank() ? null : EquityInterval.parse(s));
  }
}
