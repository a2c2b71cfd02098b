package dev.papertape.api.problem;

import dev.papertape.model.InvalidRecordException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.ErrorResponse;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;

/**
 * Every error leaves the API as an RFC 9457 problem body: the framework's own (404 route, 405, 406,
 * 415, bad input) via {@link ResponseEntityExceptionHandler}, ours via {@link Problems}, with a
 * stable {@code type} for the ones clients can act on.
 *
 * <p>Request parameters fail in two places, both answered 400 {@code invalid-parameter} with a
 * {@code parameter} member: binding, when a converter refuses the text ({@link
 * ParameterFormatException}, or the model's {@link InvalidRecordException}) or the text is not of
 * the parameter's type at all; and method validation, when a bound value breaks a constraint such
 * as {@code @Range}.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

  /**
   * Everything no more specific handler takes. The database out of reach answers 503 {@code
   * database-unavailable} with {@code Retry-After} (logged at WARN, one line: the outage is not the
   * API's bug, and readiness reports it); a framework error that carries its own problem keeps it;
   * anything else is our bug: 500 {@code internal-error}, no internals in the body, the stack in
   * the log at ERROR.
   */
  @ExceptionHandler(Exception.class)
  public Mono<ResponseEntity<Object>> unexpected(Exception e, ServerWebExchange exchange) {
    ErrorResponseException problem;
    if (Problems.databaseUnavailable(e)) {
      log.warn(
          "Database unavailable for {} {}: {}",
          exchange.getRequest().getMethod(),
          exchange.getRequest().getPath(),
          rootMessage(e));
      problem = Problems.databaseUnavailable();
    } else if (e instanceof ErrorResponse framework) {
      return handleExceptionInternal(
          e, framework.getBody(), framework.getHeaders(), framework.getStatusCode(), exchange);
    } else {
      log.error(
          "Unexpected error on {} {}",
          exchange.getRequest().getMethod(),
          exchange.getRequest().getPath(),
          e);
      problem = Problems.internalError();
    }
    return handleExceptionInternal(
        e, problem.getBody(), problem.getHeaders(), problem.getStatusCode(), exchange);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    for (int depth = 0; root.getCause() != null && depth < 16; depth++) {
      root = root.getCause();
    }
    return e.getClass().getName()
        + ": "
        + e.getMessage()
        + (root == e ? "" : " (" + root.getClass().getName() + ": " + root.getMessage() + ")");
  }

  /** A domain validation error (bad symbol, bad window label, …) in a request. */
  @ExceptionHandler(InvalidRecordException.class)
  public ResponseEntity<ProblemDetail> invalid(InvalidRecordException e) {
    return ResponseEntity.badRequest().body(invalidParameter(e));
  }

  private static ProblemDetail invalidParameter(InvalidRecordException e) {
    ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    body.setType(Problems.INVALID_PARAMETER);
    body.setTitle("Invalid parameter");
    if (e.field() != null) {
      body.setProperty("parameter", e.field());
    }
    return body;
  }

  /**
   * A parameter that did not bind: its converter's own message when it refused the text, else (e.g.
   * {@code limit=ten}) the framework's reason.
   */
  @Override
  protected Mono<ResponseEntity<Object>> handleServerWebInputException(
      ServerWebInputException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      ServerWebExchange exchange) {
    String name =
        ex.getMethodParameter() == null ? null : ex.getMethodParameter().getParameterName();
    ParameterFormatException format = cause(ex, ParameterFormatException.class);
    InvalidRecordException record = cause(ex, InvalidRecordException.class);
    ProblemDetail body;
    if (name != null && format != null) {
      body =
          Problems.invalidParameter(
                  name, "'" + name + "' " + format.reason() + ", got '" + format.text() + "'.")
              .getBody();
    } else if (record != null) {
      body = invalidParameter(record);
    } else {
      body = ex.getBody();
      body.setType(Problems.INVALID_PARAMETER);
      if (name != null) {
        body.setProperty("parameter", name);
        body.setDetail("Parameter '" + name + "' is invalid: " + ex.getReason());
      }
    }
    return handleExceptionInternal(ex, body, headers, status, exchange);
  }

  /**
   * A bound parameter that breaks a constraint: {@code '<name>' <constraint message>, got
   * <value>.}, for the first parameter in error.
   */
  @Override
  protected Mono<ResponseEntity<Object>> handleHandlerMethodValidationException(
      HandlerMethodValidationException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      ServerWebExchange exchange) {
    List<ParameterValidationResult> results = ex.getParameterValidationResults();
    if (results.isEmpty() || results.get(0).getResolvableErrors().isEmpty()) {
      return super.handleHandlerMethodValidationException(ex, headers, status, exchange);
    }
    ParameterValidationResult first = results.get(0);
    String name = first.getMethodParameter().getParameterName();
    MessageSourceResolvable error = first.getResolvableErrors().get(0);
    String detail =
        "'" + name + "' " + error.getDefaultMessage() + ", got " + first.getArgument() + ".";
    return handleExceptionInternal(
        ex, Problems.invalidParameter(name, detail).getBody(), headers, status, exchange);
  }

  /** The first {@code type} in the cause chain of {@code e}, or {@code null}. */
  private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
    int depth = 0;
    for (Throwable t = e; t != null && depth < 16; t = t.getCause(), depth++) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
