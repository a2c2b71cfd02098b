package dev.papertape.api.security;

import dev.papertape.testing.TestDatabase;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Users and API keys in the real test database, made the way {@code ./papertape user} makes them:
 * bcrypt by PostgreSQL's pgcrypto ({@code crypt(pw, gen_salt('bf', 10))}, a {@code $2a$} hash) and
 * the key's hash by {@code encode(digest(key, 'sha256'), 'hex')}, so every test also proves the API
 * reads what the shell writes. Public for the ITs of other features (the portfolio).
 */
public final class TestUsers {
  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicInteger SEQ = new AtomicInteger();

  private TestUsers() {}

  /** A user name no other test of this run uses (the test database lives for the whole run). */
  public static String uniqueName(String prefix) {
    return prefix + "-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet();
  }

  /** Inserts an enabled user; returns its {@code users.id}. */
  public static long create(String name, String password) {
    return create(name, password, true);
  }

  public static long create(String name, String password, boolean enabled) {
    return ((Number)
            TestDatabase.query(
                    "INSERT INTO users (name, password_hash, enabled)"
                        + " VALUES (?, crypt(?, gen_salt('bf', 10)), ?) RETURNING id",
                    name,
                    password,
                    enabled)
                .get(0)
                .get("id"))
        .longValue();
  }

  /** A new key for the user, stored as {@code ./papertape user key} stores it; returns the key. */
  public static String createKey(long userId) {
    StringBuilder key = new StringBuilder("pt_");
    for (int i = 0; i < 40; i++) {
      key.append(BASE62.charAt(RANDOM.nextInt(BASE62.length())));
    }
    String k = key.toString();
    TestDatabase.query(
        "INSERT INTO api_keys (user_id, prefix, key_hash, label)"
            + " VALUES (?, ?, encode(digest(?, 'sha256'), 'hex'), 'test') RETURNING id",
        userId,
        k.substring(0, ApiKeys.PREFIX_LENGTH),
        k);
    return k;
  }

  public static void revokeKey(String key) {
    TestDatabase.query(
        "UPDATE api_keys SET revoked_at = now() WHERE key_hash = encode(digest(?, 'sha256'), 'hex')"
            + " RETURNING id",
        key);
  }

  public static void setEnabled(String name, boolean enabled) {
    TestDatabase.query("UPDATE users SET enabled = ? WHERE name = ? RETURNING id", enabled, name);
  }
}
