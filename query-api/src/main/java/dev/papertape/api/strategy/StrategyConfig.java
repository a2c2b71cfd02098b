package dev.papertape.api.strategy;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds and validates {@link StrategyProperties} at start. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StrategyProperties.class)
class StrategyConfig {}
