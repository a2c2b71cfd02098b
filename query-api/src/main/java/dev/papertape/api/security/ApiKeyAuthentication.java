package dev.papertape.api.security;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * An API key in the {@value ApiKeys#HEADER} header: looked up by its hex SHA-256 among the keys not
 * revoked, of a user who is enabled. A malformed key is refused without a database round trip.
 */
@Component
public class ApiKeyAuthentication implements ServerAuthenticationConverter {
  private final UserAccounts accounts;

  public ApiKeyAuthentication(UserAccounts accounts) {
    this.accounts = accounts;
  }

  /** The presented key, when the request has the header (even empty: then it is refused). */
  @Override
  public Mono<Authentication> convert(ServerWebExchange exchange) {
    String key = exchange.getRequest().getHeaders().getFirst(ApiKeys.HEADER);
    return key == null ? Mono.empty() : Mono.just(new PresentedKey(key.strip()));
  }

  /** The user of a presented key, or a refusal (an {@link AuthenticationException}). */
  public Mono<Authentication> authenticate(Authentication presented) {
    String key = presented.getCredentials() == null ? "" : presented.getCredentials().toString();
    if (!ApiKeys.wellFormed(key)) {
      return Mono.error(new BadCredentialsException("Invalid API key"));
    }
    String hash = ApiKeys.hash(key);
    return accounts
        .byKeyHash(hash)
        .filter(owner -> ApiKeys.sameHash(owner.keyHash(), hash))
        .switchIfEmpty(Mono.error(() -> new BadCredentialsException("Invalid API key")))
        .<Authentication>handle(
            (owner, sink) -> {
              if (owner.enabled()) {
                sink.next(
                    UsernamePasswordAuthenticationToken.authenticated(
                        new AuthenticatedUser(owner.id(), owner.name()),
                        null,
                        PasswordAuthentication.AUTHORITIES));
              } else {
                sink.error(new DisabledException("User is disabled"));
              }
            })
        .onErrorMap(
            e -> !(e instanceof AuthenticationException),
            e -> new AuthenticationServiceException("Could not read the API key", e));
  }

  /** A key as presented, before it is checked; its text is the credential, never printed. */
  static final class PresentedKey extends AbstractAuthenticationToken {
    private static final long serialVersionUID = 1L;
    private final transient String key;

    PresentedKey(String key) {
      super(java.util.List.of());
      this.key = key;
    }

    @Override
    public Object getCredentials() {
      return key;
    }

    @Override
    public Object getPrincipal() {
      return "api-key";
    }
  }
}
