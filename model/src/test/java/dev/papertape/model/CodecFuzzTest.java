package dev.papertape.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, "total decoding", as a property: for a fixed seed, thousands of random, random-JSON and
 * mutated-valid inputs per codec each give a value or an {@link InvalidRecordException} with a
 * short printable message, nothing else; what is accepted re-encodes to itself; valid records
 * round-trip exactly. Bounded: 2,000 hostile inputs per codec plus 500 valid records each.
 */
class CodecFuzzTest {
  static final long SEED = 12L;
  static final int RANDOM_BYTES = 400;
  static final int RANDOM_JSON = 400;
  static final int MUTATED = 1_200;
  static final int VALID = 500;

  /** What one codec made of the generated input. */
  record Outcome(int tried, int accepted, int rejected) {}

  /** A codec under test: its decode, its encode, and the valid records it carries. */
  record Subject<T>(
      String name, Function<byte[], T> decode, Function<T, byte[]> encode, Supplier<T> valid) {}

  static Subject<Trade> trades(Fuzz fuzz) {
    TradeCodec codec = new TradeCodec();
    return new Subject<>("trades", b -> codec.decode(b, "fallback-1"), codec::encode, fuzz::trade);
  }

  static Subject<WindowMetrics> metrics(Fuzz fuzz) {
    WindowMetricsCodec codec = new WindowMetricsCodec();
    return new Subject<>("metrics", codec::decode, codec::encode, fuzz::metrics);
  }

  static Subject<Signal> signals(Fuzz fuzz) {
    SignalCodec codec = new SignalCodec();
    return new Subject<>("signals", codec::decode, codec::encode, fuzz::signal);
  }

  /** Runs the hostile inputs through one codec, asserting totality on each. */
  static <T> Outcome hostile(Fuzz fuzz, Subject<T> s) {
    String[] names = Fuzz.fields(s.encode().apply(s.valid().get())).keySet().toArray(String[]::new);
    int accepted = 0;
    int tried = 0;
    for (int i = 0; i < RANDOM_BYTES + RANDOM_JSON + MUTATED; i++) {
      byte[] input;
      if (i < RANDOM_BYTES) {
        input = fuzz.randomBytes();
      } else if (i < RANDOM_BYTES + RANDOM_JSON) {
        input = fuzz.randomJson(names);
      } else {
        Map<String, String> valid = Fuzz.fields(s.encode().apply(s.valid().get()));
        input = fuzz.mutate(valid);
      }
      tried++;
      if (decodesOrRejects(s, input)) {
        accepted++;
      }
    }
    return new Outcome(tried, accepted, tried - accepted);
  }

  /** {@code true} when accepted (and then stable on re-encoding), {@code false} when rejected. */
  private static <T> boolean decodesOrRejects(Subject<T> s, byte[] input) {
    T value;
    try {
      value = s.decode().apply(input);
    } catch (InvalidRecordException e) {
      HostileRecordsTest.assertShort(e.getMessage());
      return false;
    } catch (RuntimeException e) {
      throw new AssertionError(
          s.name() + ": " + e + " escaped for input (base64) " + base64(input), e);
    }
    assertThat(s.decode().apply(s.encode().apply(value)))
        .as("%s: re-encoding what was accepted from %s", s.name(), text(input))
        .isEqualTo(value);
    return true;
  }

  private static String base64(byte[] b) {
    return Base64.getEncoder().encodeToString(b.length > 2000 ? Arrays.copyOf(b, 2000) : b);
  }

  private static String text(byte[] b) {
    String s = new String(b, StandardCharsets.UTF_8);
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }

  /** Valid records round-trip exactly. */
  static <T> int roundTrips(Subject<T> s) {
    for (int i = 0; i < VALID; i++) {
      T value = s.valid().get();
      byte[] json = s.encode().apply(value);
      assertThat(s.decode().apply(json)).as("%s: %s", s.name(), text(json)).isEqualTo(value);
    }
    return VALID;
  }

  private static void assertBothOutcomes(Outcome o) {
    // the generators must reach both sides, or the property proves little
    assertThat(o.tried()).isEqualTo(RANDOM_BYTES + RANDOM_JSON + MUTATED);
    assertThat(o.accepted()).as("accepted of %s", o).isGreaterThan(o.tried() / 20);
    assertThat(o.rejected()).as("rejected of %s", o).isGreaterThan(o.tried() / 2);
  }

  @Test
  void tradeCodecIsTotal() {
    Fuzz fuzz = new Fuzz(SEED);
    assertBothOutcomes(hostile(fuzz, trades(fuzz)));
  }

  @Test
  void windowMetricsCodecIsTotal() {
    Fuzz fuzz = new Fuzz(SEED + 1);
    assertBothOutcomes(hostile(fuzz, metrics(fuzz)));
  }

  @Test
  void signalCodecIsTotal() {
    Fuzz fuzz = new Fuzz(SEED + 2);
    assertBothOutcomes(hostile(fuzz, signals(fuzz)));
  }

  @Test
  void validRecordsRoundTripExactly() {
    Fuzz fuzz = new Fuzz(SEED + 3);
    assertThat(roundTrips(trades(fuzz))).isEqualTo(VALID);
    assertThat(roundTrips(metrics(fuzz))).isEqualTo(VALID);
    assertThat(roundTrips(signals(fuzz))).isEqualTo(VALID);
  }

  @Test
  void theIgnoringCodecsAreTotalToo() {
    Fuzz fuzz = new Fuzz(SEED + 4);
    TradeCodec trades = new TradeCodec(UnknownFields.IGNORE);
    Subject<Trade> s =
        new Subject<>("trades/ignore", b -> trades.decode(b, "f"), trades::encode, fuzz::trade);
    assertBothOutcomes(hostile(fuzz, s));
  }
}
