package dev.papertape.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * A record an input topic could not accept, kept with the reason: the value of every {@code *-dlq}
 * topic. Encoded as JSON: {@code
 * {"topic","partition","offset","key","error","failedAt","raw","rawBase64"}}, where {@code raw} is
 * the original bytes as text when they are valid UTF-8 (else {@code null}) and {@code rawBase64}
 * always holds them exactly.
 */
public record DeadLetter(
    String topic,
    int partition,
    long offset,
    String key,
    byte[] raw,
    String error,
    Instant failedAt) {

  public byte[] encode() {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("topic", topic);
    o.put("partition", partition);
    o.put("offset", offset);
    o.put("key", key);
    o.put("error", error);
    o.put("failedAt", Timestamps.format(failedAt));
    o.put("raw", utf8OrNull(raw));
    o.put("rawBase64", Base64.getEncoder().encodeToString(raw == null ? new byte[0] : raw));
    return Json.bytes(o);
  }

  private static String utf8OrNull(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null; // not text: rawBase64 carries the bytes
    }
  }
}
