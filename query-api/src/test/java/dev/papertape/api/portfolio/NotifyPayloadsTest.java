package dev.papertape.api.portfolio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Packing events into pg_notify payloads: order kept, every payload within the limit. */
class NotifyPayloadsTest {
  static final String ID = UUID.randomUUID().toString();
  static final ObjectMapper JSON = new ObjectMapper();

  static String event(int n, int padding) {
    return "{\"n\":" + n + ",\"pad\":\"" + "x".repeat(padding) + "\"}";
  }

  static List<Integer> numbers(List<String> payloads) throws Exception {
    List<Integer> out = new ArrayList<>();
    for (String p : payloads) {
      JsonNode w = JSON.readTree(p);
      assertThat(w.path("instance").asText()).isEqualTo(ID);
      w.path("events").forEach(e -> out.add(e.path("n").asInt()));
    }
    return out;
  }

  @Test
  void smallEventsShareOnePayload() throws Exception {
    List<String> oversized = new ArrayList<>();
    List<String> p =
        NotifyPayloads.pack(
            ID, 7, List.of(event(1, 10), event(2, 10), event(3, 10)), 7500, oversized::add);
    assertThat(p).hasSize(1);
    assertThat(JSON.readTree(p.get(0)).path("seq").asLong()).isEqualTo(7);
    assertThat(numbers(p)).containsExactly(1, 2, 3);
    assertThat(oversized).isEmpty();
  }

  @Test
  void nothingToSendIsNoPayload() {
    assertThat(NotifyPayloads.pack(ID, 0, List.of(), 7500, e -> {})).isEmpty();
  }

  @Test
  void aFullPayloadIsSplitInOrderWithIncreasingSequenceNumbers() throws Exception {
    List<String> events = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      events.add(event(i, 700));
    }
    List<String> p = NotifyPayloads.pack(ID, 100, events, 7500, e -> {});
    assertThat(p.size()).isGreaterThan(3);
    assertThat(numbers(p)).hasSize(40).isSorted();
    for (int i = 0; i < p.size(); i++) {
      assertThat(p.get(i).getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(7500);
      assertThat(JSON.readTree(p.get(i)).path("seq").asLong()).isEqualTo(100 + i);
    }
  }

  @Test
  void anEventTooLargeAloneIsLeftOutAndReported() throws Exception {
    List<String> oversized = new ArrayList<>();
    String huge = event(2, 8000);
    List<String> p =
        NotifyPayloads.pack(ID, 0, List.of(event(1, 5), huge, event(3, 5)), 7500, oversized::add);
    assertThat(oversized).containsExactly(huge);
    assertThat(numbers(p)).containsExactly(1, 3);
  }

  @Test
  void bytesNotCharactersCount() throws Exception {
    // 'é' is 2 bytes in UTF-8: 3000 of them do not fit twice in 7500 bytes
    String accented = "{\"n\":1,\"pad\":\"" + "é".repeat(3000) + "\"}";
    String again = "{\"n\":2,\"pad\":\"" + "é".repeat(3000) + "\"}";
    List<String> p = NotifyPayloads.pack(ID, 0, List.of(accented, again), 7500, e -> {});
    assertThat(p).hasSize(2);
    assertThat(numbers(p)).containsExactly(1, 2);
  }

  @Test
  void randomSizesAlwaysFitAndKeepEveryEventOnceInOrder() throws Exception {
    Random r = new Random(42);
    for (int round = 0; round < 200; round++) {
      List<String> events = new ArrayList<>();
      int n = r.nextInt(60);
      for (int i = 0; i < n; i++) {
        events.add(event(i, r.nextInt(r.nextBoolean() ? 100 : 7600)));
      }
      List<String> oversized = new ArrayList<>();
      List<String> p = NotifyPayloads.pack(ID, Long.MAX_VALUE - 1000, events, 7500, oversized::add);
      for (String s : p) {
        assertThat(s.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(7500);
      }
      List<Integer> sent = numbers(p);
      assertThat(sent).isSorted();
      assertThat(sent.size() + oversized.size()).isEqualTo(n);
      // a payload is only closed when the next event did not fit in it
      for (int i = 0; i + 1 < p.size(); i++) {
        int nextEvent = JSON.readTree(p.get(i + 1)).path("events").get(0).toString().length();
        assertThat(p.get(i).getBytes(StandardCharsets.UTF_8).length + 1 + nextEvent)
            .isGreaterThan(7500 - 20);
      }
    }
  }
}
