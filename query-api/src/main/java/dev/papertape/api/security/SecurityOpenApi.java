package dev.papertape.api.security;

import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document names both ways in ({@code basicAuth}, {@code apiKey}), so Swagger UI's
 * "Authorize" works, and marks every route that needs them: the portfolio, strategies and alert
 * rules always, the market data too when it is not public.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityOpenApi {
  static final String BASIC = "basicAuth";
  static final String API_KEY = "apiKey";

  @Bean
  OpenApiCustomizer securitySchemes(SecurityProperties props) {
    return api -> {
      api.getComponents()
          .addSecuritySchemes(
              BASIC,
              new SecurityScheme()
                  .type(SecurityScheme.Type.HTTP)
                  .scheme("basic")
                  .description("A user name and password (./papertape user add)."))
          .addSecuritySchemes(
              API_KEY,
              new SecurityScheme()
                  .type(SecurityScheme.Type.APIKEY)
                  .in(SecurityScheme.In.HEADER)
                  .name(ApiKeys.HEADER)
                  .description("An API key (./papertape user key NAME)."));
      if (api.getPaths() == null) {
        return;
      }
      api.getPaths()
          .forEach(
              (path, item) -> {
                if (protectedPath(path, props.publicMarketData())) {
                  item.readOperations()
                      .forEach(
                          op ->
                              op.addSecurityItem(new SecurityRequirement().addList(BASIC))
                                  .addSecurityItem(new SecurityRequirement().addList(API_KEY)));
                }
              });
    };
  }

  static boolean protectedPath(String path, boolean publicMarketData) {
    if (path.equals("/portfolio")
        || path.startsWith("/portfolio/")
        || path.equals("/stream/portfolio")
        || path.equals("/strategies")
        || path.startsWith("/strategies/")
        || path.startsWith("/alerts/")) {
      return true;
    }
    if (publicMarketData) {
      return false;
    }
    for (String open : SecurityConfig.OPERATIONS) {
      String prefix = open.endsWith("/**") ? open.substring(0, open.length() - 3) : open;
      if (path.equals(prefix) || path.startsWith(prefix + "/")) {
        return false;
      }
    }
    return true;
  }
}
