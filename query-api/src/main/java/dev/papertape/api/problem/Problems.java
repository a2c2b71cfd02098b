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

  /**
   * The database cannot be reached (503): the stream-fed routes still answer; retry the others
   * after {@code Retry-After} seconds.
   */
  public static final URI DATABASE_UNAVAILABLE = URI.create(BASE + "database-unavailable");

  /** An unexpected failure of the API itself (500); the details are in the API's log only. */
  public static final URI INTERNAL_ERROR = URI.create(BASE + "internal-error");

  /**
   * Seconds a client should wait before retrying a {@code database-unavailable} request: long
   * enough not to hammer a database that is restarting (a restart or failover takes seconds), short
   * enough that clients come back soon after it does. Every request tries the database afresh, so
   * the API itself recovers at once; readiness takes the instance out of rotation meanwhile.
   */
  public static final long DATABASE_RETRY_AFTER_SECONDS = 5;

  private Problems() {}

  /**
   * Whether {@code e} (or a cause) says the database cannot be reached or the connection to it
   * broke: Spring's translation of R2DBC resource failures ({@code "Failed to obtain R2DBC
   * Connection"}, a closed connection), a raw R2DBC resource or timeout failure, or a socket
   * failure (connection refused, reset, closed).
   */
  public static boolean databaseUnavailable(Throwable e) {
    int depth = 0;
    for (Throwable t = e; t != null && depth < 16; t = t.getCause(), depth++) {
      if (t instanceof org.springframework.dao.DataAccessResourceFailureException
          || t instanceof org.springframework.dao.TransientDataAccessResourceException
          || t instanceof io.r2dbc.spi.R2dbcNonTransientResourceException
          || t instanceof io.r2dbc.spi.R2dbcTransientResourceException
          || t instanceof io.r2dbc.spi.R2dbcTimeoutException
          || t instanceof java.net.ConnectException
          || t instanceof java.nio.channels.ClosedChannelException) {
        return true;
      }
    }
    return false;
  }

  public static ErrorResponseException databaseUnavailable() {
    ErrorResponseException e =
        problem(
            HttpStatus.SERVICE_UNAVAILABLE,
            DATABASE_UNAVAILABLE,
            "Database unavailable",
            "The market database cannot be reached; retry after "
                + DATABASE_RETRY_AFTER_SECONDS
                + " seconds. Latest prices (GET /symbols/{symbol}/price) and the live streams"
                + " keep answering from Kafka.");
    e.getHeaders().set("Retry-After", Long.toString(DATABASE_RETRY_AFTER_SECONDS));
    return e;
  }

  public static ErrorResponseException internalError() {
    return problem(
        HttpStatus.INTERNAL_SERVER_ERROR,
        INTERNAL_ERROR,
        "Internal error",
        "The request failed on an unexpected error of the API; it has been logged. Retry later,"
            + " and report it if it persists.");
  }

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
