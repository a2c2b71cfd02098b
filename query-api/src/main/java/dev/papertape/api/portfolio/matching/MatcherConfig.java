package dev.papertape.api.portfolio.matching;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds and validates {@code papertape.matcher.catchup.*} at start. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CatchUpProperties.class)
class MatcherConfig {}
