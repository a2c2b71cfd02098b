package dev.papertape.api.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.api.stream.StreamHub.ResumePoint;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** The hub without Spring or Kafka: resume points, resume and live delivery, honouring demand. */
class StreamHubTest {
  private static final Channel C = Channel.TRADES;

  private static StreamHub hub(int clientBuffer, int replay) {
    StreamProperties props =
        new StreamProperties(
            "trades",
            "metrics",
            "signals",
            clientBuffer,
            replay,
            Duration.ofSeconds(15),
            1,
            1,
            Duration.ofSeconds(1),
            Duration.ofSeconds(30));
    return new StreamHub(props, new StreamMetrics(new SimpleMeterRegistry()));
  }

  private static void publish(StreamHub hub, int from, int to) {
    for (int i = from; i <= to; i++) {
      hub.publish(C, i % 2 == 0 ? "AAPL" : "MSFT", "{\"n\":" + i + "}");
    }
  }

  private static String id(StreamHub hub, long seq) {
    return hub.epoch() + "-" + seq;
  }

  private static List<Long> seqs(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  private static String missedJson(StreamHub hub, long from, long to) {
    return "{\"channel\":\"trades\",\"reason\":\"expired\",\"from\":\""
        + id(hub, from)
        + "\",\"to\":\""
        + id(hub, to)
        + "\",\"count\":"
        + (to - from + 1)
        + "}";
  }

  @Test
  void resumePointReadsOnlyIdsThisHubIssued() {
    StreamHub hub = hub(16, 100);
    publish(hub, 1, 20);
    assertThat(hub.resumePoint(C, null)).isEqualTo(new ResumePoint(ResumePoint.Kind.LIVE, 20));
    assertThat(hub.resumePoint(C, " ")).isEqualTo(new ResumePoint(ResumePoint.Kind.LIVE, 20));
    assertThat(hub.resumePoint(C, id(hub, 7)))
        .isEqualTo(new ResumePoint(ResumePoint.Kind.AFTER, 7));
    assertThat(hub.resumePoint(C, " " + id(hub, 20) + " "))
        .isEqualTo(new ResumePoint(ResumePoint.Kind.AFTER, 20));
    assertThat(hub.resumePoint(C, id(hub, 0)))
        .isEqualTo(new ResumePoint(ResumePoint.Kind.AFTER, 0));
    // another process's, one not issued yet, garbage: from now on, and told so
    for (String other :
        List.of(
            (hub.epoch() - 1) + "-7",
            id(hub, 21),
            hub.epoch() + "--1",
            "abc",
            "-5",
            "7",
            hub.epoch() + "-x",
            hub.epoch() + "-99999999999999999999999")) {
      assertThat(hub.resumePoint(C, other))
          .as(other)
          .isEqualTo(new ResumePoint(ResumePoint.Kind.UNKNOWN, 20));
    }
    // channels count separately
    assertThat(hub.resumePoint(Channel.METRICS, id(hub, 7)).kind())
        .isEqualTo(ResumePoint.Kind.UNKNOWN);
  }

  @Test
  void aResumingClientGetsEveryHeldEventEvenBeyondItsOwnBuffer() {
    StreamHub hub = hub(16, 1000);
    publish(hub, 1, 60);
    // a client that asks for little at a time (as a network client whose socket is busy), while
    // the channel goes on: 190 events to catch up on through a buffer of 16
    StepVerifier.create(hub.subscribe(C, Set.of(), id(hub, 10), "sse").map(StreamEvent::seq), 0)
        .expectSubscription()
        .thenRequest(5)
        .expectNextSequence(seqs(11, 15))
        .then(() -> publish(hub, 61, 200))
        .thenRequest(185)
        .expectNextSequence(seqs(16, 200))
        .thenCancel()
        .verify(Duration.ofSeconds(10));
  }

  @Test
  void afterCatchingUpItContinuesLiveWithoutGapsOrRepeats() {
    StreamHub hub = hub(16, 1000);
    publish(hub, 1, 30);
    StepVerifier.create(hub.subscribe(C, Set.of(), id(hub, 20), "sse").map(StreamEvent::seq))
        .expectNextSequence(seqs(21, 30))
        .then(() -> publish(hub, 31, 40))
        .expectNextSequence(seqs(31, 40))
        .then(() -> publish(hub, 41, 41))
        .expectNext(41L)
        .thenCancel()
        .verify(Duration.ofSeconds(10));
  }

  @Test
  void anIdOlderThanWhatIsHeldIsToldWhatItMissedThenGetsTheRest() {
    StreamHub hub = hub(16, 100);
    publish(hub, 1, 150); // holds 51..150
    StepVerifier.create(hub.subscribe(C, Set.of(), id(hub, 10), "sse"), 0)
        .expectSubscription()
        .thenRequest(1)
        .assertNext(
            e -> {
              assertThat(e.type()).isEqualTo(StreamEvent.Type.MISSED);
              assertThat(e.eventName()).isEqualTo("missed");
              assertThat(e.id()).isEqualTo(id(hub, 50)); // resuming from it asks for 51 on
              assertThat(e.json()).isEqualTo(missedJson(hub, 11, 50));
            })
        .thenRequest(100)
        .expectNextSequence(
            seqs(51, 150).stream()
                .map(
                    s ->
                        new StreamEvent(
                            C, s, id(hub, s), s % 2 == 0 ? "AAPL" : "MSFT", "{\"n\":" + s + "}"))
                .toList())
        .thenCancel()
        .verify(Duration.ofSeconds(10));
  }

  @Test
  void aResumingClientLappedWhileReadingIsToldAndGoesOn() {
    StreamHub hub = hub(16, 100);
    publish(hub, 1, 100);
    StepVerifier.create(hub.subscribe(C, Set.of(), id(hub, 0), "sse"), 0)
        .expectSubscription()
        .thenRequest(10)
        .expectNextCount(10) // 1..10
        .then(() -> publish(hub, 101, 250)) // now holds 151..250: 11..150 are gone
        .thenRequest(1)
        .assertNext(e -> assertThat(e.json()).isEqualTo(missedJson(hub, 11, 150)))
        .thenRequest(100)
        .expectNextSequence(
            seqs(151, 250).stream()
                .map(
                    s ->
                        new StreamEvent(
                            C, s, id(hub, s), s % 2 == 0 ? "AAPL" : "MSFT", "{\"n\":" + s + "}"))
                .toList())
        .thenCancel()
        .verify(Duration.ofSeconds(10));
  }

  @Test
  void anUnknownIdIsToldSoAndContinuesFromNow() {
    StreamHub hub = hub(16, 100);
    publish(hub, 1, 5);
    StepVerifier.create(hub.subscribe(C, Set.of(), "12345-3", "sse"))
        .assertNext(
            e -> {
              assertThat(e.type()).isEqualTo(StreamEvent.Type.MISSED);
              assertThat(e.id()).isEqualTo(id(hub, 5));
              assertThat(e.json())
                  .isEqualTo(
                      "{\"channel\":\"trades\",\"reason\":\"unknown-id\",\"from\":null,\"to\":\""
                          + id(hub, 5)
                          + "\",\"count\":null}");
            })
        .then(() -> publish(hub, 6, 7))
        .assertNext(e -> assertThat(e.seq()).isEqualTo(6))
        .assertNext(e -> assertThat(e.seq()).isEqualTo(7))
        .thenCancel()
        .verify(Duration.ofSeconds(10));
  }

  @Test
  void withoutAReplayBufferAResumeIsToldEverythingWasMissed() {
    StreamHub hub = hub(16, 0);
    publish(hub, 1, 30);
    StepVerifier.create(hub.subscribe(C, Set.of(), id(hub, 10), "sse"))
        .assertNext(e -> assertThat(e.json()).isEqualTo(missedJson(hub, 11, 30)))
        .then(() -> publish(hub, 31, 31))
        .assertNext(e -> assertThat(e.seq()).isEqualTo(31))
        .thenCancel()
        .verify(Duration.ofSeconds(10));
  }

  @Test
  void symbolFiltersApplyToResumedEventsButNotToTheMissedNotice() {
    StreamHub hub = hub(16, 20);
    publish(hub, 1, 40); // holds 21..40
    StepVerifier.create(hub.subscribe(C, Set.of("AAPL"), id(hub, 5), "sse"))
        .assertNext(e -> assertThat(e.json()).isEqualTo(missedJson(hub, 6, 20)))
        .expectNextSequence(
            LongStream.rangeClosed(21, 40)
                .filter(s -> s % 2 == 0)
                .boxed()
                .map(s -> new StreamEvent(C, s, id(hub, s), "AAPL", "{\"n\":" + s + "}"))
                .toList())
        .thenCancel()
        .verify(Duration.ofSeconds(10));
  }

  @Test
  void aLiveClientGetsOnlyNewEventsAndASlowOneLosesItsOldest() {
    StreamHub hub = hub(16, 100);
    publish(hub, 1, 10);
    StepVerifier.create(hub.subscribe(C, Set.of(), null, "sse").map(StreamEvent::seq), 0)
        .expectSubscription()
        .then(() -> publish(hub, 11, 50)) // 40 events for a buffer of 16: 11..34 are dropped
        .thenRequest(16)
        .expectNextSequence(seqs(35, 50))
        .thenCancel()
        .verify(Duration.ofSeconds(10));
  }
}
