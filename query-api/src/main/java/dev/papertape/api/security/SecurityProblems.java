package dev.papertape.api.security;

import dev.papertape.api.problem.Problems;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The security chain's answers, as RFC 9457 problem bodies like every other error of the API (the
 * chain runs before the handlers, so {@code ProblemHandler} never sees them): 401 {@code
 * unauthorized} for missing or refused credentials; when the credentials could not be checked
 * because the database is out of reach, 503 {@code database-unavailable} (the client's credentials
 * may be fine); any other failure to check them, 500 {@code internal-error}. Nothing of the
 * credentials is logged.
 */
@Component
public class SecurityProblems
    implements ServerAuthenticationEntryPoint,
        ServerAuthenticationFailureHandler,
        ServerAccessDeniedHandler,
        ServerExchangeRejectedHandler {
  private static final Logger log = LoggerFactory.getLogger(SecurityProblems.class);

  /**
   * A request the firewall refuses before any route sees it (400): an encoded slash, period,
   * backslash or control character in the path, a method no route has, a header value with control
   * characters (Spring Security's {@code StrictServerWebExchangeFirewall}).
   */
  public static final java.net.URI REJECTED_REQUEST =
      java.net.URI.create("https://papertape.dev/problems/rejected-request");

  private final JsonMapper json;

  public SecurityProblems(JsonMapper json) {
    this.json = json;
  }

  /** No (usable) credentials on a route that needs them. */
  @Override
  public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException ex) {
    return write(exchange, Unauthorized.exception());
  }

  /** Credentials presented and refused, or not checkable. */
  @Override
  public Mono<Void> onAuthenticationFailure(
      WebFilterExchange filterExchange, AuthenticationException ex) {
    ServerWebExchange exchange = filterExchange.getExchange();
    if (ex instanceof AuthenticationServiceException) {
      if (Problems.databaseUnavailable(ex)) {
        log.warn(
            "Database unavailable: could not check the credentials of {} {}",
            exchange.getRequest().getMethod(),
            exchange.getRequest().getPath());
        return write(exchange, Problems.databaseUnavailable());
      }
      log.error(
          "Could not check the credentials of {} {}",
          exchange.getRequest().getMethod(),
          exchange.getRequest().getPath(),
          ex.getCause());
      return write(exchange, Problems.internalError());
    }
    return write(exchange, Unauthorized.exception());
  }

  /** Authenticated but not allowed: no route does that yet (every user may use its own data). */
  @Override
  public Mono<Void> handle(
      ServerWebExchange exchange,
      org.springframework.security.access.AccessDeniedException denied) {
    return write(
        exchange,
        Problems.problem(
            HttpStatus.FORBIDDEN,
            java.net.URI.create("https://papertape.dev/problems/forbidden"),
            "Forbidden",
            "These credentials may not use this route."));
  }

  /** The firewall refused the request (see {@link #REJECTED_REQUEST}); the reason is logged. */
  @Override
  public Mono<Void> handle(ServerWebExchange exchange, ServerExchangeRejectedException rejected) {
    log.debug("Request rejected by the firewall: {}", rejected.getMessage());
    return write(
        exchange,
        Problems.problem(
            HttpStatus.BAD_REQUEST,
            REJECTED_REQUEST,
            "Rejected request",
            "The request was refused before it reached a route: its method, path or a header"
                + " holds something the API never accepts (e.g. an encoded slash or a control"
                + " character)."));
  }

  private Mono<Void> write(ServerWebExchange exchange, ErrorResponseException problem) {
    ServerHttpResponse response = exchange.getResponse();
    if (response.isCommitted()) {
      return Mono.empty();
    }
    ProblemDetail body = problem.getBody();
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("type", body.getType().toString());
    fields.put("title", body.getTitle());
    fields.put("status", body.getStatus());
    fields.put("detail", body.getDetail());
    fields.put("instance", exchange.getRequest().getPath().value());
    byte[] bytes = json.writeValueAsString(fields).getBytes(StandardCharsets.UTF_8);
    response.setStatusCode(problem.getStatusCode());
    HttpHeaders headers = response.getHeaders();
    headers.addAll(problem.getHeaders());
    headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    headers.setContentLength(bytes.length);
    DataBuffer buffer = response.bufferFactory().wrap(bytes);
    return response.writeWith(Mono.just(buffer));
  }
}
