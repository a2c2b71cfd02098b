package dev.papertape.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Total decoding of {@code strategy-control}, as a property (like the model's {@code
 * CodecFuzzTest}): for a fixed seed, random bytes, random JSON over the codec's field names and
 * valid events with 0-3 hostile mutations each give an event or an {@link InvalidRecordException}
 * with a short printable message; what is accepted re-encodes to itself; valid events round-trip.
 */
class ControlEventFuzzTest {
  static final long SEED = 16L;
  static final int RANDOM_BYTES = 300;
  static final int RANDOM_JSON = 300;
  static final int MUTATED = 1_400;
  static final int VALID = 500;

  static final String[] NAMES = {
    "type",
    "id",
    "active",
    "strategy",
    "params",
    "symbols",
    "autoExecute",
    "sizing",
    "owner",
    "symbol",
    "field",
    "op",
    "threshold",
    "window",
    "mode",
    "value",
    "lookback",
    "fast",
    "slow",
    "kind",
    "thresholdPct",
    "multiplier"
  };

  static final String[] TOKENS = {
    "1e2147483647",
    "1e-2147483647",
    "-1E+2147483648",
    "0",
    "-0",
    "-1",
    "1.5",
    "100.0",
    "1e2",
    "0.00000001",
    "9999999999.99999999",
    "10000000000",
    "9223372036854775808",
    "20",
    "3",
    "1000",
    "1001",
    "true",
    "false",
    "null",
    "[]",
    "{}",
    "[1,2]",
    "{\"a\":1}",
    "\"\"",
    "\" \"",
    "\"strategy\"",
    "\"alert-rule\"",
    "\"all\"",
    "\"ALL\"",
    "[\"TSLA\"]",
    "[\"1X\"]",
    "[\"\"]",
    "\"vwap-deviation\"",
    "\"ma-crossover\"",
    "\"volume-spike\"",
    "\"price\"",
    "\"changePct\"",
    "\">\"",
    "\"crosses_above\"",
    "\"1m\"",
    "\"2m\"",
    "\"sma\"",
    "\"ema\"",
    "\"quantity\"",
    "\"percentOfCash\"",
    "\"a\\u0000b\"",
    "\"\\ud800\"",
    "\"\\u2028\"",
    "\"x\\u001b[31m\"",
    "{\"mode\":\"quantity\",\"value\":0}",
    "{\"mode\":\"notional\",\"value\":1e13}",
    "{\"lookback\":\"0\"}",
    "{\"fast\":50,\"slow\":10}",
    "{\"zzz\":1}",
    "{\"lookback\":[1]}",
    "[" + "[".repeat(40) + "]".repeat(41),
    "\"" + "x".repeat(5000) + "\""
  };

  private final SplittableRandom random = new SplittableRandom(SEED);

  <T> T pick(T[] values) {
    return values[random.nextInt(values.length)];
  }

  String id() {
    String chars = "abcdefghijklmnopqrstuvwxyz0123456789._-";
    StringBuilder b = new StringBuilder().append(chars.charAt(random.nextInt(26)));
    for (int n = random.nextInt(20); n > 0; n--) {
      b.append(chars.charAt(random.nextInt(chars.length())));
    }
    return b.toString();
  }

  ControlEvent valid() {
    switch (random.nextInt(4)) {
      case 0:
        {
          String type = pick(new String[] {"ma-crossover", "vwap-deviation", "volume-spike"});
          Map<String, String> params = new LinkedHashMap<>();
          if (type.equals("ma-crossover")) {
            int fast = random.nextInt(1, 50);
            params.put("fast", Integer.toString(fast));
            params.put("slow", Integer.toString(fast + random.nextInt(1, 100)));
            params.put("kind", random.nextBoolean() ? "sma" : "ema");
          } else {
            params.put("lookback", Integer.toString(random.nextInt(1, 1001)));
            if (type.equals("vwap-deviation")) {
              params.put(
                  "thresholdPct", BigDecimal.valueOf(random.nextLong(1, 5001), 2).toPlainString());
            } else {
              params.put(
                  "multiplier", BigDecimal.valueOf(random.nextLong(10, 10_000), 1).toPlainString());
            }
          }
          boolean auto = random.nextBoolean();
          Sizing sizing =
              auto || random.nextBoolean()
                  ? new Sizing(Sizing.Mode.QUANTITY, BigDecimal.valueOf(random.nextLong(1, 1000)))
                  : null;
          List<String> symbols = random.nextBoolean() ? List.of() : List.of("TSLA", "AAPL");
          return new ControlEvent.ActivateStrategy(
              id(), type, params, symbols, auto, sizing, random.nextBoolean() ? null : "user-1");
        }
      case 1:
        return new ControlEvent.DeactivateStrategy(id());
      case 2:
        return new ControlEvent.AddAlertRule(AlertRuleFixtures.random(random, id()), null);
      default:
        return new ControlEvent.RemoveAlertRule(id());
    }
  }

  byte[] randomBytes() {
    byte[] b = new byte[random.nextInt(0, 300)];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) random.nextInt(256);
    }
    if (b.length > 0 && random.nextBoolean()) {
      b[0] = '{';
    }
    return b;
  }

  byte[] randomJson() {
    List<String> members = new ArrayList<>();
    for (int i = random.nextInt(10); i > 0; i--) {
      members.add("\"" + pick(NAMES) + "\":" + pick(TOKENS));
    }
    return utf8("{" + String.join(",", members) + "}");
  }

  byte[] mutate(byte[] valid) {
    Map<String, String> fields = new LinkedHashMap<>();
    Json.readObject(valid)
        .properties()
        .forEach(e -> fields.put(e.getKey(), e.getValue().toString()));
    List<String> names = new ArrayList<>(fields.keySet());
    String extra = null;
    for (int m = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(3); m > 0; m--) {
      String name = names.get(random.nextInt(names.size()));
      switch (random.nextInt(6)) {
        case 0 -> fields.remove(name);
        case 1 -> fields.put(pick(NAMES), pick(TOKENS));
        case 2 -> extra = "\"" + name + "\":" + pick(TOKENS);
        default -> fields.put(name, pick(TOKENS));
      }
    }
    List<String> members = new ArrayList<>();
    fields.forEach((k, v) -> members.add("\"" + k + "\":" + v));
    if (extra != null) {
      members.add(extra);
    }
    if (random.nextInt(3) == 0) {
      Collections.reverse(members);
    }
    byte[] bytes = utf8("{" + String.join(",", members) + "}");
    if (random.nextInt(8) == 0 && bytes.length > 0) {
      bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
    }
    return bytes;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void decodingIsTotal() {
    ControlEventCodec codec = new ControlEventCodec();
    int accepted = 0;
    int tried = RANDOM_BYTES + RANDOM_JSON + MUTATED;
    for (int i = 0; i < tried; i++) {
      byte[] input;
      if (i < RANDOM_BYTES) {
        input = randomBytes();
      } else if (i < RANDOM_BYTES + RANDOM_JSON) {
        input = randomJson();
      } else {
        input = mutate(codec.encode(valid()));
      }
      ControlEvent e;
      try {
        e = codec.decode(input);
      } catch (InvalidRecordException rejected) {
        assertShort(rejected.getMessage());
        continue;
      } catch (RuntimeException escaped) {
        throw new AssertionError(
            escaped + " escaped for input (base64) " + Base64.getEncoder().encodeToString(input),
            escaped);
      }
      accepted++;
      assertThat(codec.decode(codec.encode(e))).isEqualTo(e);
    }
    assertThat(accepted).as("accepted").isGreaterThan(tried / 20);
    assertThat(tried - accepted).as("rejected").isGreaterThan(tried / 2);
  }

  @Test
  void validEventsRoundTrip() {
    ControlEventCodec codec = new ControlEventCodec();
    for (int i = 0; i < VALID; i++) {
      ControlEvent e = valid();
      assertThat(codec.decode(codec.encode(e))).isEqualTo(e);
      assertThat(codec.decode(e.key(), codec.encode(e))).isEqualTo(e);
    }
  }

  /** A rejection message is short and printable: safe for a DLQ header, a log line, a 422. */
  static void assertShort(String message) {
    assertThat(message).isNotBlank();
    assertThat(message.length()).isLessThanOrEqualTo(InvalidRecordException.MAX_MESSAGE + 1);
    assertThat(
            message
                .chars()
                .noneMatch(c -> c < 0x20 || c == 0x7F || Character.isSurrogate((char) c)))
        .as("printable: %s", message)
        .isTrue();
  }
}
