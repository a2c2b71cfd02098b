package dev.papertape.api.security;

import java.security.Principal;

/**
 * The user a request acts for, as the database knew it when the request authenticated: the row's
 * {@code users.id} and {@code users.name}. It is the principal of every authentication (HTTP Basic
 * or API key), so {@code Principal#getName()} is {@code users.name}.
 */
public record AuthenticatedUser(long id, String name) implements Principal {
  @Override
  public String getName() {
    return name;
  }
}
