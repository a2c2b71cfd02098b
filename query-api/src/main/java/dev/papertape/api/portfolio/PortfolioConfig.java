package dev.papertape.api.portfolio;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/**
 * Binds and validates {@code papertape.portfolio.*} and {@code papertape.portfolio.stream.*} at
 * start.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({PortfolioProperties.class, PortfolioStreamProperties.class})
class PortfolioConfig {}
