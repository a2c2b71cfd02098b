package dev.papertape.api.security;

import dev.papertape.api.problem.Problems;
import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * The 401 answer: an RFC 9457 problem of type {@code unauthorized} with {@code WWW-Authenticate:
 * Basic realm="papertape"}. The same body whatever was wrong (no credentials, unknown user, wrong
 * password, disabled user, unknown or revoked key), so a client learns nothing about which names or
 * keys exist.
 */
public final class Unauthorized {
  /** Missing or invalid credentials (401). */
  public static final URI TYPE = URI.create("https://papertape.dev/problems/unauthorized");

  public static final String TITLE = "Unauthorized";

  public static final String DETAIL =
      "This route needs credentials: HTTP Basic (user name and password) or an API key in the"
          + " X-Api-Key header. Missing, wrong, revoked or of a disabled user.";

  public static final String REALM = "papertape";

  /** The {@code WWW-Authenticate} challenge of every 401. */
  public static final String CHALLENGE = "Basic realm=\"" + REALM + "\"";

  private Unauthorized() {}

  /** For code behind the security chain ({@link CurrentUser}): the handler answers the problem. */
  public static ErrorResponseException exception() {
    ErrorResponseException e = Problems.problem(HttpStatus.UNAUTHORIZED, TYPE, TITLE, DETAIL);
    e.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
    return e;
  }
}
