package dev.papertape.api.portfolio;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Packs encoded events into {@code pg_notify} payloads: {@code
 * {"instance":"<id>","seq":<n>,"events":[<event>,...]}}, each at most {@code maxBytes} UTF-8 bytes
 * (PostgreSQL refuses a payload of 8000 bytes or more), in order, as few as fit. An event too large
 * for a payload on its own is left out and handed to {@code oversized}.
 */
final class NotifyPayloads {
  /** Below PostgreSQL's limit of 8000 bytes, with room to spare. */
  static final int MAX_BYTES = 7_500;

  private NotifyPayloads() {}

  /**
   * The payloads of {@code events} (JSON objects, already encoded), numbered from {@code firstSeq}.
   */
  static List<String> pack(
      String instance,
      long firstSeq,
      List<String> events,
      int maxBytes,
      Consumer<String> oversized) {
    List<String> payloads = new ArrayList<>();
    long seq = firstSeq;
    StringBuilder body = new StringBuilder();
    int bodyBytes = 0;
    int count = 0;
    for (String e : events) {
      int bytes = e.getBytes(StandardCharsets.UTF_8).length;
      // the envelope with the longest sequence number a payload can carry, so no payload grows
      if (envelopeBytes(instance, Long.MIN_VALUE) + bytes > maxBytes) {
        oversized.accept(e);
        continue;
      }
      int added = bytes + (count == 0 ? 0 : 1);
      if (count > 0 && envelopeBytes(instance, Long.MIN_VALUE) + bodyBytes + added > maxBytes) {
        payloads.add(envelope(instance, seq++, body));
        body.setLength(0);
        bodyBytes = 0;
        count = 0;
        added = bytes;
      }
      if (count > 0) {
        body.append(',');
      }
      body.append(e);
      bodyBytes += added;
      count++;
    }
    if (count > 0) {
      payloads.add(envelope(instance, seq, body));
    }
    return payloads;
  }

  private static String envelope(String instance, long seq, CharSequence body) {
    return "{\"instance\":\"" + instance + "\",\"seq\":" + seq + ",\"events\":[" + body + "]}";
  }

  private static int envelopeBytes(String instance, long seq) {
    return envelope(instance, seq, "").getBytes(StandardCharsets.UTF_8).length;
  }
}
