package dev.papertape.api.security;

import io.r2dbc.spi.Readable;
import java.util.regex.Pattern;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * Reads of {@code users} and {@code api_keys} for authentication (R2DBC). Users and keys are
 * written by {@code ./papertape user} (ops/lib/users.sh), never by the API.
 */
@Repository
public class UserAccounts {
  /** The {@code CHECK} of {@code users.name}: a name that breaks it cannot exist. */
  static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]{0,63}");

  static final String BY_NAME =
      "SELECT id, name, password_hash, enabled FROM users WHERE name = $1";

  static final String BY_KEY_HASH =
      """
      SELECT u.id, u.name, u.enabled, k.key_hash
      FROM api_keys k JOIN users u ON u.id = k.user_id
      WHERE k.key_hash = $1 AND k.revoked_at IS NULL
      """;

  /** A user row; the hash is only ever handed to the password encoder. */
  record UserRow(long id, String name, String passwordHash, boolean enabled) {
    @Override
    public String toString() {
      return "UserRow[id=" + id + ", name=" + name + ", enabled=" + enabled + "]";
    }
  }

  /** The user an unrevoked key belongs to, and the stored hash the key matched. */
  record KeyOwner(long id, String name, boolean enabled, String keyHash) {}

  private final DatabaseClient db;

  public UserAccounts(DatabaseClient db) {
    this.db = db;
  }

  /** The user named {@code name}; empty when there is none (or the name cannot be one). */
  Mono<UserRow> byName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      return Mono.empty();
    }
    return db.sql(BY_NAME).bind(0, name).map(UserAccounts::user).one();
  }

  /** The owner of the unrevoked key with this hex SHA-256; empty when there is none. */
  Mono<KeyOwner> byKeyHash(String keyHash) {
    return db.sql(BY_KEY_HASH)
        .bind(0, keyHash)
        .map(
            row ->
                new KeyOwner(
                    row.get("id", Long.class),
                    row.get("name", String.class),
                    Boolean.TRUE.equals(row.get("enabled", Boolean.class)),
                    row.get("key_hash", String.class)))
        .one();
  }

  private static UserRow user(Readable row) {
    return new UserRow(
        row.get("id", Long.class),
        row.get("name", String.class),
        row.get("password_hash", String.class),
        Boolean.TRUE.equals(row.get("enabled", Boolean.class)));
  }
}
