package dev.papertape.feed.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.papertape.model.Trade;
import dev.papertape.model.TradeCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, "total decoding", for the replay files, as a property: for a fixed seed, random files
 * and valid files with hostile mutations each validate to a count or to an {@link
 * InvalidInputFileException} with a short printable reason, nothing else; and what validates is
 * replayed in full without an error (every trade a valid, encodable {@link Trade}; every bar
 * expands into the ticks counted). Bounded: 1,000 files per format.
 */
class CsvFuzzTest {
  static final long SEED = 12L;
  static final int FILES = 1_000;

  private static final String[] HOSTILE = {
    "",
    " ",
    "\"\"",
    "\"AAPL\"",
    "1e2147483647",
    "1e-2147483647",
    "1E+999999999999",
    "-1",
    "0",
    "1.5",
    "0.000000001",
    "9999999999.99999999",
    "10000000000",
    "1000000000001",
    "5000000000000",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "1" + "0".repeat(63),
    "1" + "0".repeat(64),
    "9".repeat(3_000),
    "NaN",
    "0x10",
    "+5",
    "\u0661\u0667\u0666\u0667\u0666\u0662\u0663\u0664\u0660\u0660\u0660\u0660\u0660",
    "99999999999",
    "999999999999999999",
    "4102444800000",
    "4102444799999",
    "2099-12-31",
    "2100-01-01",
    "1969-12-31",
    "2026-02-30",
    "+999999999-12-31T23:59:59.999-18:00",
    "-999999999-01-01T00:00:00+18:00",
    "2026-01-05T14:30:00",
    "yesterday",
    "a\u0000b",
    "\u0000",
    "x\u001by",
    "\u0085",
    "\u2028",
    "\uFEFF",
    "caf\u00e9",
    "\uD83D\uDE00",
    "#comment",
    "symbol",
    "1AAPL",
    "brk.b",
    "q".repeat(200)
  };

  @TempDir Path dir;

  /** What the readers made of the generated files. */
  record Outcome(int tried, int accepted, int rejected) {}

  @Test
  void theTradesReaderIsTotal() {
    Outcome o = trades(dir, SEED, FILES);
    assertThat(o.accepted()).as("accepted of %s", o).isGreaterThan(FILES / 20);
    assertThat(o.rejected()).as("rejected of %s", o).isGreaterThan(FILES / 2);
  }

  @Test
  void theBarsReaderIsTotal() {
    Outcome o = bars(dir, SEED + 1, FILES);
    assertThat(o.accepted()).as("accepted of %s", o).isGreaterThan(FILES / 20);
    assertThat(o.rejected()).as("rejected of %s", o).isGreaterThan(FILES / 2);
  }

  static Outcome trades(Path dir, long seed, int files) {
    SplittableRandom r = new SplittableRandom(seed);
    TradeCodec codec = new TradeCodec();
    int accepted = 0;
    for (int i = 0; i < files; i++) {
      Path file = write(dir.resolve("trades-" + (i % 7) + ".csv"), input(r, tradeRows(r)));
      long n;
      try {
        n = TradeCsvReader.validate(file);
      } catch (InvalidInputFileException e) {
        HostileCsvTest.assertShort(e.reason());
        continue;
      } catch (RuntimeException e) {
        throw escaped(file, e);
      }
      accepted++;
      List<Trade> read = TradeCsvReaderTest.readAll(file);
      assertThat(read).hasSize((int) n);
      for (Trade t : read) {
        assertThat(codec.decode(codec.encode(t), "unused")).isEqualTo(t);
      }
    }
    return new Outcome(files, accepted, files - accepted);
  }

  static Outcome bars(Path dir, long seed, int files) {
    SplittableRandom r = new SplittableRandom(seed);
    int accepted = 0;
    for (int i = 0; i < files; i++) {
      Duration length = r.nextBoolean() ? Duration.ofMinutes(1) : Duration.ofDays(1);
      Path file = write(dir.resolve("bars-" + (i % 7) + ".csv"), input(r, barRows(r, length)));
      Duration given = r.nextBoolean() ? null : length;
      BarFile checked;
      try {
        checked = BarCsvReader.validate(file, given);
      } catch (InvalidInputFileException e) {
        HostileCsvTest.assertShort(e.reason());
        continue;
      } catch (RuntimeException e) {
        throw escaped(file, e);
      }
      accepted++;
      long ticks = 0;
      try (BarTicks replay = BarTicks.open(file, checked)) {
        for (Trade t = replay.next(); t != null; t = replay.next()) {
          ticks++;
        }
      }
      assertThat(ticks).isEqualTo(checked.ticks());
    }
    return new Outcome(files, accepted, files - accepted);
  }

  private static AssertionError escaped(Path file, RuntimeException e) {
    byte[] bytes = read(file);
    return new AssertionError(
        e
            + " escaped for a file of (base64) "
            + Base64.getEncoder()
                .encodeToString(bytes.length > 3000 ? Arrays.copyOf(bytes, 3000) : bytes),
        e);
  }

  /** Random bytes, or the rows (with a header or not) with hostile mutations. */
  private static byte[] input(SplittableRandom r, List<String[]> rows) {
    if (r.nextInt(5) == 0) {
      byte[] b = new byte[r.nextInt(400)];
      for (int i = 0; i < b.length; i++) {
        b[i] =
            (byte)
                (r.nextInt(4) == 0 ? r.nextInt(256) : ",\n0123456789.:-TZAB".charAt(r.nextInt(18)));
      }
      return b;
    }
    for (int m = r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(2); m > 0; m--) {
      String[] row = rows.get(r.nextInt(rows.size()));
      if (row.length == 0) {
        continue;
      }
      int col = r.nextInt(row.length);
      switch (r.nextInt(8)) {
        case 0 -> rows.set(rows.indexOf(row), Arrays.copyOf(row, r.nextInt(row.length + 3)));
        case 1 -> row[col] = row[col] + "," + HOSTILE[r.nextInt(HOSTILE.length)];
        case 2 -> row[col] = "x".repeat(r.nextInt(4000, 9000));
        default -> row[col] = HOSTILE[r.nextInt(HOSTILE.length)];
      }
    }
    StringBuilder text = new StringBuilder();
    String eol = r.nextInt(4) == 0 ? "\r\n" : "\n";
    for (String[] row : rows) {
      text.append(String.join(",", row)).append(eol);
    }
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    if (bytes.length > 0 && r.nextInt(8) == 0) {
      int at = r.nextInt(bytes.length);
      bytes[at] = (byte) new int[] {0xC0, 0xED, 0xFF, 0x80, 0x00, 0x0D}[r.nextInt(6)];
    }
    if (bytes.length > 0 && r.nextInt(10) == 0) {
      bytes = Arrays.copyOf(bytes, r.nextInt(bytes.length));
    }
    return bytes;
  }

  private static List<String[]> tradeRows(SplittableRandom r) {
    List<String[]> rows = new ArrayList<>();
    if (r.nextBoolean()) {
      rows.add(new String[] {"symbol", "price", "size", "ts", "tradeId"});
    }
    for (int n = 1 + r.nextInt(6); n > 0; n--) {
      Instant ts = Instant.ofEpochMilli(r.nextLong(10_000_000_000L, Trade.MAX_TS.toEpochMilli()));
      String time =
          switch (r.nextInt(3)) {
            case 0 -> ts.toString();
            case 1 -> Long.toString(ts.toEpochMilli());
            default -> ts.toString().substring(0, 10);
          };
      String[] row = {
        symbol(r), price(r).toPlainString(), Long.toString(r.nextLong(1, Trade.MAX_SIZE + 1)), time
      };
      rows.add(r.nextBoolean() ? row : append(row, "id-" + r.nextInt(1_000_000)));
    }
    return rows;
  }

  private static List<String[]> barRows(SplittableRandom r, Duration length) {
    List<String[]> rows = new ArrayList<>();
    if (r.nextBoolean()) {
      rows.add(new String[] {"symbol", "ts", "open", "high", "low", "close", "volume"});
    }
    Instant start =
        Instant.ofEpochMilli(r.nextLong(0, Trade.MAX_TS.minus(Duration.ofDays(30)).toEpochMilli()))
            .truncatedTo(ChronoUnit.DAYS);
    for (int k = 0; k < 1 + r.nextInt(6); k++) {
      BigDecimal a = price(r);
      BigDecimal b = price(r);
      BigDecimal low = a.min(b);
      BigDecimal high = a.max(b);
      Instant ts = start.plus(length.multipliedBy(k / 2));
      rows.add(
          new String[] {
            k % 2 == 0 ? "AAPL" : "MSFT",
            length.toDays() == 1 && r.nextBoolean()
                ? ts.toString().substring(0, 10)
                : ts.toString(),
            low.toPlainString(),
            high.toPlainString(),
            low.toPlainString(),
            high.toPlainString(),
            Long.toString(r.nextLong(0, Trade.MAX_SIZE + 1))
          });
    }
    return rows;
  }

  private static String symbol(SplittableRandom r) {
    return new String[] {"AAPL", "msft", "BRK.B", "T", "X-1"}[r.nextInt(5)];
  }

  private static BigDecimal price(SplittableRandom r) {
    int scale = r.nextInt(9);
    return BigDecimal.valueOf(r.nextLong(1, (long) Math.pow(10, 10 + scale)), scale);
  }

  private static String[] append(String[] row, String value) {
    String[] out = Arrays.copyOf(row, row.length + 1);
    out[row.length] = value;
    return out;
  }

  private static Path write(Path file, byte[] bytes) {
    try {
      return Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
