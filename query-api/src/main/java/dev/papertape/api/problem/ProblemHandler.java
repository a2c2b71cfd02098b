package dev.papertape.api.problem;

import dev.papertape.model.InvalidRecordException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;

/**
 * Every error leaves the API as an RFC 9457 problem body: the framework's own (404 route, 405, 406,
 * 415, bad input) via {@link ResponseEntityExceptionHandler}, ours via {@link Problems}, with a
 * stable {@code type} for the ones clients can act on.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

  /** A domain validation error (bad symbol, bad window label, …) in a request. */
  @ExceptionHandler(InvalidRecordException.class)
  public ResponseEntity<ProblemDetail> invalid(InvalidRecordException e) {
    ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    body.setType(Problems.INVALID_PARAMETER);
    body.setTitle("Invalid parameter");
    if (e.field() != null) {
      body.setProperty("parameter", e.field());
    }
    return ResponseEntity.badRequest().body(body);
  }

  @Override
  protected Mono<ResponseEntity<Object>> handleServerWebInputException(
      ServerWebInputException ex,
      org.springframework.http.HttpHeaders headers,
      org.springframework.http.HttpStatusCode status,
      org.springframework.web.server.ServerWebExchange exchange) {
    ProblemDetail body = ex.getBody();
    body.setType(Problems.INVALID_PARAMETER);
    String name =
        ex.getMethodParameter() == null ? null : ex.getMethodParameter().getParameterName();
    if (name != null) {
      body.setProperty("parameter", name);
      body.setDetail("Parameter '" + name + "' is invalid: " + ex.getReason());
    }
    return handleExceptionInternal(ex, body, headers, status, exchange);
  }
}
