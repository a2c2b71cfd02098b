package dev.papertape.api.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code papertape.security.*}.
 *
 * @param publicMarketData whether the market data routes and streams answer without credentials
 *     ({@code PAPERTAPE_PUBLIC_MARKET_DATA}, default true); the portfolio routes always need them
 */
@ConfigurationProperties("papertape.security")
public record SecurityProperties(@DefaultValue("true") boolean publicMarketData) {}
