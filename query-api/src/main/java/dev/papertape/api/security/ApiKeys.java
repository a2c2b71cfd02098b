package dev.papertape.api.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * API keys as {@code ./papertape user key} makes them: {@code pt_} and 40 base62 characters (238
 * random bits). The database keeps the first {@value #PREFIX_LENGTH} characters (to tell keys
 * apart) and the hex SHA-256 of the whole key, never the key: a random key needs no slow hash, and
 * the hash is what a key is looked up by.
 */
public final class ApiKeys {
  /** The request header that carries a key. */
  public static final String HEADER = "X-Api-Key";

  public static final int PREFIX_LENGTH = 10;

  private static final Pattern FORMAT = Pattern.compile("pt_[A-Za-z0-9]{40}");

  private ApiKeys() {}

  /**
   * Whether {@code key} has the shape of a key; anything else is refused before it is hashed or
   * looked up (and whatever its length, in time bounded by the header size limit).
   */
  public static boolean wellFormed(String key) {
    return key != null && key.length() == 43 && FORMAT.matcher(key).matches();
  }

  /** The hex SHA-256 of the key's UTF-8 bytes, as {@code encode(digest(key, 'sha256'), 'hex')}. */
  public static String hash(String key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Constant-time equality of two hashes (no early exit on the first differing character). */
  public static boolean sameHash(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }
}
