package dev.papertape.api.security;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerHttpBasicAuthenticationConverter;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;

/**
 * Who may call what. The portfolio ({@code /portfolio/**}, {@code /stream/portfolio}, {@code
 * /ws/portfolio}), strategies ({@code /strategies/**}) and alert rules ({@code /alerts/**}) need
 * credentials; everything else is public as before: market data and its streams, {@code /healthz},
 * {@code /ping}, actuator, the OpenAPI document and Swagger UI. With {@code
 * papertape.security.public-market-data=false} only the operational routes (health, metrics, API
 * docs) stay public and every other route needs credentials.
 *
 * <p>Two ways in, both checked on every request (stateless: no session, no cookie, no CSRF token,
 * no login form, no redirect): HTTP Basic against {@code users} ({@link PasswordAuthentication})
 * and an API key in {@code X-Api-Key} ({@link ApiKeyAuthentication}). Credentials that are
 * presented are checked on every route, public ones included: wrong credentials are a 401
 * everywhere, never silently ignored. Every refusal is a problem body ({@link SecurityProblems}).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
@EnableConfigurationProperties(SecurityProperties.class)
public class SecurityConfig {
  /** Always behind credentials. */
  static final String[] PORTFOLIO = {
    "/portfolio",
    "/portfolio/**",
    "/stream/portfolio",
    "/ws/portfolio",
    "/strategies",
    "/strategies/**",
    "/alerts",
    "/alerts/**"
  };

  /** Always public: probes, metrics and the API's documentation. */
  static final String[] OPERATIONS = {
    "/healthz",
    "/ping",
    "/actuator",
    "/actuator/**",
    "/v3/api-docs",
    "/v3/api-docs/**",
    "/swagger-ui.html",
    "/swagger-ui/**",
    "/webjars/**"
  };

  @Bean
  PasswordEncoder passwordEncoder() {
    return new BCryptPasswordEncoder();
  }

  /**
   * Spring Security's strict firewall, but an encoded percent ({@code %25}) passes: a path segment
   * such as a symbol may hold any text, and the routes answer a 404 or 400 problem for it
   * themselves. Every refusal is a 400 problem ({@link SecurityProblems}).
   */
  @Bean
  ServerWebExchangeFirewall firewall() {
    StrictServerWebExchangeFirewall firewall = new StrictServerWebExchangeFirewall();
    firewall.setAllowUrlEncodedPercent(true);
    return firewall;
  }

  @Bean
  SecurityWebFilterChain securityWebFilterChain(
      ServerHttpSecurity http,
      SecurityProperties props,
      PasswordAuthentication passwords,
      ApiKeyAuthentication apiKeys,
      SecurityProblems problems) {
    AuthenticationWebFilter basic = new AuthenticationWebFilter(passwords);
    basic.setServerAuthenticationConverter(new ServerHttpBasicAuthenticationConverter());
    basic.setAuthenticationFailureHandler(problems);
    basic.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());

    AuthenticationWebFilter keys = new AuthenticationWebFilter(apiKeys::authenticate);
    keys.setServerAuthenticationConverter(apiKeys);
    keys.setAuthenticationFailureHandler(problems);
    keys.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());

    return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
        .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        .logout(ServerHttpSecurity.LogoutSpec::disable)
        .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
        .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
        .addFilterAt(basic, SecurityWebFiltersOrder.HTTP_BASIC)
        .addFilterAt(keys, SecurityWebFiltersOrder.AUTHENTICATION)
        .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
        .authorizeExchange(
            routes -> {
              routes.pathMatchers(PORTFOLIO).authenticated();
              routes.pathMatchers(OPERATIONS).permitAll();
              if (props.publicMarketData()) {
                routes.anyExchange().permitAll();
              } else {
                routes.anyExchange().authenticated();
              }
            })
        .build();
  }
}
