package dev.papertape.api.problem;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The API's RFC 9457 problem types. Each {@code type} is a stable URI clients can switch on; the
 * {@code detail} is a sentence for people. Documented in the README and the OpenAPI document.
 */
public final class Problems {
  private static final String BASE = "https://papertape.dev/problems/";

  /** A symbol the platform does not track (404). */
  public static final URI UNKNOWN_SYMBOL = URI.create(BASE + "unknown-symbol");

  /** A query parameter out of range or malformed (400). */
  public static final URI INVALID_PARAMETER = URI.create(BASE + "invalid-parameter");

  /** No data yet for what was asked (404), e.g. no trade for a symbol. */
  public static final URI NO_DATA = URI.create(BASE + "no-data");

  private Problems() {}

  public static ErrorResponseException unknownSymbol(String symbol) {
    return problem(
        HttpStatus.NOT_FOUND,
        UNKNOWN_SYMBOL,
        "Unknown symbol",
        "Symbol '" + symbol + "' is not tracked; GET /symbols lists the tracked symbols.");
  }

  public static ErrorResponseException invalidParameter(String parameter, String detail) {
    ErrorResponseException e =
        problem(HttpStatus.BAD_REQUEST, INVALID_PARAMETER, "Invalid parameter", detail);
    e.getBody().setProperty("parameter", parameter);
    return e;
  }

  public static ErrorResponseException noData(String detail) {
    return problem(HttpStatus.NOT_FOUND, NO_DATA, "No data", detail);
  }

  public static ErrorResponseException problem(
      HttpStatus status, URI type, String title, String detail) {
    ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
    body.setType(type);
    body.setTitle(title);
    return new ErrorResponseException(status, body, null);
  }
}
