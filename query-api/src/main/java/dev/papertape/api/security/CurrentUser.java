package dev.papertape.api.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The authenticated user of the current request, for the features that act on "the user's own" data
 * (the portfolio). The security chain only lets authenticated requests reach the protected routes,
 * so {@link #current()} fails only when called from a public route: then with a 401 {@code
 * unauthorized} problem (never an empty result a caller could mistake for "nobody").
 */
@Component
public class CurrentUser {

  /** The user of this request; errors with a 401 problem when the request is not authenticated. */
  public Mono<AuthenticatedUser> current() {
    return optional().switchIfEmpty(Mono.error(Unauthorized::exception));
  }

  /** The user of this request, or empty on an anonymous request (a public route). */
  public Mono<AuthenticatedUser> optional() {
    return ReactiveSecurityContextHolder.getContext()
        .mapNotNull(SecurityContext::getAuthentication)
        .filter(Authentication::isAuthenticated)
        .mapNotNull(Authentication::getPrincipal)
        .ofType(AuthenticatedUser.class);
  }
}
