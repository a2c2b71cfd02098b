package dev.papertape.api.portfolio;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds and validates {@code papertape.portfolio.*} at start. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PortfolioProperties.class)
class PortfolioConfig {}
