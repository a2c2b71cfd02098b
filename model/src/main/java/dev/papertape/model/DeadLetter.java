package dev.papertape.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A record the pipeline could not accept, kept with the reason: the value of every {@code *-dlq}
 * topic. Bounded, so a dead letter always fits in a Kafka record whatever it carries: at most
 * {@value #MAX_RAW_BYTES} bytes of the original record are kept ({@code truncated} says whether
 * that is all of it), with the original {@code size} and the {@code sha256} of all of it, so a
 * producer can find the record it sent. Encoded as JSON:
 *
 * <pre>
 * {"topic","partition","offset","key","stage","error","failedAt","size","sha256","truncated",
 *  "raw" | "rawBase64"}
 * </pre>
 *
 * <p>{@code raw} holds the kept bytes as text when they are valid UTF-8, else {@code rawBase64}
 * holds them: never both. {@code stage} says where the record was refused: {@value #DECODE} (it is
 * not a valid event, e.g. malformed JSON or a trade from the future), {@value #ADMIT} (a valid
 * trade the job cannot count, e.g. its window's volume would overflow) or {@value #STORE} (the
 * database refused the row; {@code topic} then names the table; partition and offset are -1).
 * {@code key} and {@code error} are cut at {@value #MAX_TEXT} characters.
 *
 * @param raw the kept bytes (a prefix of the original when {@code truncated})
 */
public record DeadLetter(
    String topic,
    int partition,
    long offset,
    String key,
    String stage,
    String error,
    Instant failedAt,
    int size,
    String sha256,
    boolean truncated,
    byte[] raw) {

  /** The record is not a valid event. */
  public static final String DECODE = "decode";

  /** A valid trade the job cannot count (e.g. its window's volume would overflow). */
  public static final String ADMIT = "admit";

  /** The database refused the row. */
  public static final String STORE = "store";

  /** Bytes of the original record kept. */
  public static final int MAX_RAW_BYTES = 8 * 1024;

  /** Characters of {@code key} and {@code error} kept. */
  public static final int MAX_TEXT = 1024;

  /** An upper bound of the encoded size (every kept byte escaped as {@code \\u0000}). */
  public static final int MAX_ENCODED_BYTES = 6 * MAX_RAW_BYTES + 12 * MAX_TEXT + 1024;

  /** A dead letter of {@code original}, bounded (see the class comment). */
  public static DeadLetter of(
      String topic,
      int partition,
      long offset,
      String key,
      byte[] original,
      String stage,
      String error,
      Instant failedAt) {
    byte[] all = original == null ? new byte[0] : original;
    boolean truncated = all.length > MAX_RAW_BYTES;
    return new DeadLetter(
        topic,
        partition,
        offset,
        cut(key),
        stage,
        cut(error),
        failedAt,
        all.length,
        sha256(all),
        truncated,
        truncated ? Arrays.copyOf(all, MAX_RAW_BYTES) : all);
  }

  public byte[] encode() {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("topic", topic);
    o.put("partition", partition);
    o.put("offset", offset);
    o.put("key", cut(key));
    o.put("stage", stage);
    o.put("error", cut(error));
    o.put("failedAt", Timestamps.format(failedAt));
    o.put("size", size);
    o.put("sha256", sha256);
    o.put("truncated", truncated);
    byte[] kept = raw == null ? new byte[0] : raw;
    String text = utf8Prefix(kept, truncated);
    if (text != null) {
      o.put("raw", text);
    } else {
      o.put("rawBase64", Base64.getEncoder().encodeToString(kept));
    }
    return Json.bytes(o);
  }

  private static String cut(String s) {
    return s == null || s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT) + "…";
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * The bytes as text when they are valid UTF-8, else {@code null}. A prefix cut by truncation may
   * end inside a character: up to 3 trailing bytes of an incomplete character are dropped then.
   */
  private static String utf8Prefix(byte[] bytes, boolean cutOff) {
    CharsetDecoder dec =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult r = dec.decode(in, out, !cutOff);
    if (r.isError()) {
      return null;
    }
    if (in.hasRemaining() && !(cutOff && in.remaining() <= 3)) {
      return null; // not text: rawBase64 carries the bytes
    }
    out.flip();
    return out.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeadLetter d
        && partition == d.partition
        && offset == d.offset
        && size == d.size
        && truncated == d.truncated
        && Objects.equals(topic, d.topic)
        && Objects.equals(key, d.key)
        && Objects.equals(stage, d.stage)
        && Objects.equals(error, d.error)
        && Objects.equals(failedAt, d.failedAt)
        && Objects.equals(sha256, d.sha256)
        && Arrays.equals(raw, d.raw);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, partition, offset, key, stage, error, sha256) + Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return "DeadLetter["
        + topic
        + "-"
        + partition
        + "@"
        + offset
        + " "
        + stage
        + ": "
        + error
        + "]";
  }
}
