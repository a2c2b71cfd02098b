package dev.papertape.api.security;

import java.util.List;
import java.util.Optional;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * HTTP Basic: the user name and password against {@code users} (bcrypt, as Spring's {@code
 * BCryptPasswordEncoder} and PostgreSQL's {@code crypt(pw, gen_salt('bf'))} write it).
 *
 * <p>Every attempt costs one bcrypt comparison, also for a name that does not exist (against a hash
 * of a random password), so the time of an answer does not tell which names exist; and the
 * comparison runs off the event loop ({@code boundedElastic}): bcrypt takes tens of milliseconds by
 * design. A disabled user is refused only after the password matched, with the same 401.
 */
@Component
public class PasswordAuthentication implements ReactiveAuthenticationManager {
  static final List<GrantedAuthority> AUTHORITIES =
      List.of(new SimpleGrantedAuthority("ROLE_USER"));

  private final UserAccounts accounts;
  private final PasswordEncoder encoder;
  private final String absentUserHash;

  public PasswordAuthentication(UserAccounts accounts, PasswordEncoder encoder) {
    this.accounts = accounts;
    this.encoder = encoder;
    this.absentUserHash = encoder.encode(java.util.UUID.randomUUID().toString());
  }

  @Override
  public Mono<Authentication> authenticate(Authentication request) {
    String name = request.getName();
    String password = request.getCredentials() == null ? "" : request.getCredentials().toString();
    return accounts
        .byName(name)
        .map(Optional::of)
        .defaultIfEmpty(Optional.empty())
        .publishOn(Schedulers.boundedElastic())
        .map(user -> check(user, password))
        .onErrorMap(
            e -> !(e instanceof AuthenticationException),
            e -> new AuthenticationServiceException("Could not read the user", e));
  }

  private Authentication check(Optional<UserAccounts.UserRow> user, String password) {
    boolean matches = matches(password, user.map(UserAccounts.UserRow::passwordHash));
    if (user.isEmpty() || !matches) {
      throw new BadCredentialsException("Invalid user name or password");
    }
    UserAccounts.UserRow row = user.get();
    if (!row.enabled()) {
      throw new DisabledException("User is disabled");
    }
    return UsernamePasswordAuthenticationToken.authenticated(
        new AuthenticatedUser(row.id(), row.name()), null, AUTHORITIES);
  }

  private boolean matches(String password, Optional<String> hash) {
    try {
      return encoder.matches(password, hash.orElse(absentUserHash)) && hash.isPresent();
    } catch (IllegalArgumentException e) {
      // a password bcrypt cannot take (longer than 72 bytes): simply not a match
      return false;
    }
  }
}
