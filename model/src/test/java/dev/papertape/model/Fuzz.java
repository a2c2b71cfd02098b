package dev.papertape.model;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded generators of hostile and valid input for the codec fuzz suite: random bytes, random JSON,
 * valid records, and valid records mutated with the values that broke decoders before (huge and
 * tiny exponents, long digit strings, control characters, lone surrogates, deep nesting, wrong
 * types, far times, oversized fields). Deterministic for a seed.
 */
final class Fuzz {
  private static final String SYMBOL_FIRST = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  private static final String SYMBOL_REST = SYMBOL_FIRST + "0123456789.-";

  /** Characters of valid free text: printable ASCII, accented letters, CJK, emoji (pairs). */
  private static final String[] TEXT_PIECES = {
    "a", "Z", "7", "-", "_", ":", " ", "é", "ß", "Ж", "中", "\uD83D\uDE00", "\uFFFD", "~", "\"", "\\"
  };

  static final String[] NUMBERS = {
    "1e2147483647",
    "1e-2147483647",
    "-1e2147483647",
    "10e2147483647",
    "1E+999999999",
    "1E+999999999999",
    "1e-99999999999",
    "-1E+2147483648",
    "0E+2147483647",
    "0",
    "-0",
    "0.0",
    "-1",
    "1.5",
    "100.0",
    "1e2",
    "1E-8",
    "1E-9",
    "0.00000001",
    "0.000000001",
    "9999999999.99999999",
    "10000000000",
    "1000000000000",
    "1000000000001",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "4102444799999",
    "4102444800000",
    "1764000000123",
    "1" + "0".repeat(99),
    "1" + "0".repeat(100),
    "1" + "0".repeat(1500),
    "0." + "0".repeat(98) + "1",
    "9".repeat(60) + "." + "9".repeat(30),
    "1.0e+2",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e",
    "01",
    "+1",
    ".5",
    "0x10"
  };

  static final String[] STRINGS = {
    "",
    " ",
    "AAPL",
    " msft ",
    "brk.b",
    "1A",
    "A A",
    "\\u0000",
    "a\\u0000b",
    "AAPL\\u0000",
    "\\ud800",
    "x\\udc00",
    "\\udc00\\ud800",
    "\\ud83d\\ude00",
    "\\t",
    "\\n",
    "\\r\\n",
    "\\u001b[31m",
    "\\u007f",
    "\\u0085",
    "\\u2028",
    "\\u2029",
    "\\ufeff",
    "\\uffff",
    "2026-11-24T14:30:00.123Z",
    "2026-11-24T15:30:00.5+01:00",
    "2099-06-01T00:00:00Z",
    "2100-01-01T00:00:00Z",
    "2099-12-31T23:59:59.999Z",
    "1969-12-31T23:59:59.999Z",
    "1970-01-01T00:00:00Z",
    "+999999999-12-31T23:59:59.999-18:00",
    "-999999999-01-01T00:00:00+18:00",
    "2026-11-24T14:30:00",
    "2026-02-30T00:00:00Z",
    "2026-11-24T14:30:00Z\\u0000",
    "yesterday",
    "1m",
    "1d",
    "2m",
    "1M",
    "SIGNAL",
    "ALERT",
    "signal",
    "BUY",
    "sell",
    " SELL ",
    "HOLD",
    "BUY\\u0000",
    "1.5",
    "1e2147483647"
  };

  static final String[] STRUCTURES = {
    "true",
    "false",
    "null",
    "[]",
    "{}",
    "[1,2]",
    "{\"a\":1}",
    "[" + "1,".repeat(2000) + "1]",
    "[".repeat(31) + "]".repeat(31),
    "[".repeat(32) + "]".repeat(32),
    "[".repeat(33) + "]".repeat(33),
    "{\"a\":".repeat(40) + "1" + "}".repeat(40),
    "[".repeat(3000)
  };

  /** Insignificant whitespace between tokens: valid JSON either way. */
  private static final String[] SPACES = {"", "", "", " ", "\n  ", "\t", "\r\n"};

  private final SplittableRandom random;

  Fuzz(long seed) {
    this.random = new SplittableRandom(seed);
  }

  int nextInt(int bound) {
    return random.nextInt(bound);
  }

  boolean chance(double p) {
    return random.nextDouble() < p;
  }

  <T> T pick(T[] values) {
    return values[random.nextInt(values.length)];
  }

  // ---- raw input -------------------------------------------------------------------------------

  byte[] randomBytes() {
    byte[] b = new byte[random.nextInt(0, 300)];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) random.nextInt(256);
    }
    if (b.length > 0 && chance(0.5)) {
      b[0] = '{';
    }
    return b;
  }

  /** Random JSON text: any value, objects with known or random names. */
  byte[] randomJson(String[] names) {
    return utf8(value(names, 0));
  }

  private String value(String[] names, int depth) {
    int kind = random.nextInt(depth > 6 ? 4 : 6);
    return switch (kind) {
      case 0 -> pick(NUMBERS);
      case 1 -> jsonString(chance(0.5) ? pick(STRINGS) : escape(hostileText()));
      case 2 -> pick(STRUCTURES);
      case 3 -> Long.toString(random.nextLong());
      case 4 -> {
        List<String> items = new ArrayList<>();
        for (int i = random.nextInt(5); i > 0; i--) {
          items.add(value(names, depth + 1));
        }
        yield "[" + String.join(",", items) + "]";
      }
      default -> {
        List<String> members = new ArrayList<>();
        for (int i = random.nextInt(8); i > 0; i--) {
          String name = chance(0.8) ? pick(names) : escape(hostileText());
          members.add(jsonString(name) + ":" + value(names, depth + 1));
        }
        yield "{" + String.join(",", members) + "}";
      }
    };
  }

  /** A record's fields (name → JSON token) with 1-3 hostile mutations, as JSON bytes. */
  byte[] mutate(Map<String, String> valid) {
    Map<String, String> fields = new LinkedHashMap<>(valid);
    List<String> names = new ArrayList<>(fields.keySet());
    String extra = null;
    for (int m = chance(0.2) ? 0 : 1 + random.nextInt(3); m > 0; m--) {
      String name = names.get(random.nextInt(names.size()));
      switch (random.nextInt(10)) {
        case 0 -> fields.remove(name);
        case 1 -> fields.put(chance(0.5) ? "qty" : escape(hostileText()), hostileToken());
        case 2 -> extra = jsonString(name) + ":" + hostileToken(); // a duplicate key
        case 3 -> fields.put(name, jsonString(escape(longText())));
        default -> fields.put(name, hostileToken());
      }
    }
    List<String> members = new ArrayList<>();
    fields.forEach((k, v) -> members.add(jsonString(k) + pick(SPACES) + ":" + pick(SPACES) + v));
    if (extra != null) {
      members.add(extra);
    }
    if (chance(0.3)) {
      Collections.reverse(members);
    }
    byte[] bytes = utf8(pick(SPACES) + "{" + String.join("," + pick(SPACES), members) + "}");
    return chance(0.15) ? damage(bytes) : bytes;
  }

  /** Byte-level damage: flipped, inserted (invalid UTF-8, raw control bytes) or cut bytes. */
  byte[] damage(byte[] bytes) {
    byte[] b = bytes.clone();
    if (b.length == 0) {
      return new byte[] {(byte) random.nextInt(256)};
    }
    int at = random.nextInt(b.length);
    switch (random.nextInt(3)) {
      case 0 -> b[at] = (byte) random.nextInt(256);
      case 1 -> {
        byte[] insert = {(byte) 0xC0, (byte) 0x80, (byte) 0xED, (byte) 0xA0, (byte) 0x80, 0, 0x1F};
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, at);
        out[at] = insert[random.nextInt(insert.length)];
        System.arraycopy(b, at, out, at + 1, b.length - at);
        b = out;
      }
      default -> b = Arrays.copyOf(b, at);
    }
    return b;
  }

  String hostileToken() {
    return switch (random.nextInt(6)) {
      case 0, 1 -> pick(NUMBERS);
      case 2, 3 -> jsonString(pick(STRINGS));
      case 4 -> pick(STRUCTURES);
      default ->
          chance(0.5)
              ? Long.toString(chance(0.5) ? Long.MAX_VALUE : Long.MIN_VALUE)
              : jsonString(escape(hostileText()));
    };
  }

  /** Up to 40 characters from anywhere in the BMP, controls and lone surrogates included. */
  String hostileText() {
    StringBuilder b = new StringBuilder();
    for (int n = random.nextInt(1, 40); n > 0; n--) {
      b.append(
          switch (random.nextInt(4)) {
            case 0 -> (char) random.nextInt(0x20);
            case 1 -> (char) random.nextInt(0xD800, 0xE000);
            case 2 -> (char) random.nextInt(0x10000);
            default -> (char) random.nextInt(0x20, 0x7F);
          });
    }
    return b.toString();
  }

  /** Oversized text: a few hundred to 20,000 characters. */
  String longText() {
    int n = chance(0.8) ? random.nextInt(129, 600) : random.nextInt(5_000, 20_000);
    return String.valueOf((char) ('a' + random.nextInt(26))).repeat(n);
  }

  // ---- valid records ---------------------------------------------------------------------------

  String symbol() {
    StringBuilder b = new StringBuilder().append(SYMBOL_FIRST.charAt(random.nextInt(26)));
    for (int n = random.nextInt(15); n > 0; n--) {
      b.append(SYMBOL_REST.charAt(random.nextInt(SYMBOL_REST.length())));
    }
    return b.toString();
  }

  BigDecimal price() {
    int scale = random.nextInt(Prices.SCALE + 1);
    long bound = (long) Math.pow(10, 10 + scale);
    return BigDecimal.valueOf(random.nextLong(1, bound), scale);
  }

  Instant ts() {
    return Instant.ofEpochMilli(random.nextLong(0, Trade.MAX_TS.toEpochMilli()));
  }

  /** Valid free text of 1 to {@code max} characters (surrogate pairs never split). */
  String text(int max) {
    StringBuilder b = new StringBuilder();
    int target = 1 + random.nextInt(max);
    while (b.length() < target) {
      String piece = pick(TEXT_PIECES);
      if (b.length() + piece.length() > max) {
        break;
      }
      b.append(piece);
    }
    if (b.toString().isBlank()) {
      b.setCharAt(0, 'x');
    }
    return b.toString();
  }

  Trade trade() {
    return new Trade(
        symbol(),
        price(),
        random.nextLong(1, Trade.MAX_SIZE + 1),
        ts(),
        text(Trade.MAX_TRADE_ID),
        text(Trade.MAX_SOURCE));
  }

  WindowMetrics metrics() {
    MetricWindow w = pick(MetricWindow.values());
    Instant start = ts();
    return new WindowMetrics(
        symbol(),
        w,
        start,
        start.plus(w.size()),
        price(),
        price(),
        price(),
        price(),
        random.nextLong(0, Long.MAX_VALUE),
        price(),
        random.nextLong(0, Long.MAX_VALUE),
        chance(0.2) ? BigDecimal.ZERO : price());
  }

  Signal signal() {
    return new Signal(
        text(Signal.MAX_ID),
        pick(Signal.Kind.values()),
        symbol(),
        text(Signal.MAX_SOURCE),
        chance(0.3) ? null : pick(Signal.Side.values()),
        price(),
        chance(0.3) ? null : text(Signal.MAX_REASON),
        ts());
  }

  // ---- JSON text -------------------------------------------------------------------------------

  /** {@code s} already escaped, in quotes. */
  static String jsonString(String escaped) {
    return "\"" + escaped + "\"";
  }

  /** JSON escaping of any text; everything outside printable ASCII as {@code \\uXXXX}. */
  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7E) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** The fields of an encoded record as name → JSON token, in order (for {@link #mutate}). */
  static Map<String, String> fields(byte[] json) {
    Map<String, String> out = new LinkedHashMap<>();
    Json.readObject(json)
        .fields()
        .forEachRemaining(e -> out.put(e.getKey(), e.getValue().toString()));
    return out;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
