package dev.papertape.feed.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.papertape.model.Trade;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, "total decoding", for the replay files: rows that once escaped the readers as another
 * exception, produced an unbounded message, or passed validation and then failed while producing.
 */
class HostileCsvTest {
  /** Longest reason a bad row may give, whatever the row. */
  static final int MAX_REASON = 300;

  @TempDir Path dir;

  /** Rejected as a bad row at {@code line} with a short printable reason holding {@code text}. */
  static void assertBadRow(ThrowingCallable read, int line, String text) {
    assertThatThrownBy(read)
        .isInstanceOf(InvalidInputFileException.class)
        .hasMessageContaining(text)
        .satisfies(
            e -> {
              InvalidInputFileException bad = (InvalidInputFileException) e;
              assertThat(bad.line()).isEqualTo(line);
              assertShort(bad.reason());
            });
  }

  static void assertShort(String reason) {
    if (reason == null
        || reason.length() > MAX_REASON
        || reason.chars().anyMatch(c -> Character.isISOControl(c))) {
      assertThat(reason)
          .as("a short reason without control characters")
          .isNotNull()
          .hasSizeLessThanOrEqualTo(MAX_REASON)
          .doesNotContainPattern("[\\x00-\\x1F\\x7F-\\x9F]");
    }
  }

  private Path trades(String row) {
    return Csv.write(dir, "t.csv", "symbol,price,size,ts,tradeId", row);
  }

  private Path bars(String... rows) {
    String[] lines = new String[rows.length + 1];
    lines[0] = "symbol,ts,open,high,low,close,volume";
    System.arraycopy(rows, 0, lines, 1, rows.length);
    return Csv.write(dir, "b.csv", lines);
  }

  @Test
  void aPriceWithAHugeOrTinyExponentIsABadRow() {
    assertBadRow(
        () -> TradeCsvReader.validate(trades("AAPL,1e2147483647,1,2026-01-05T14:30:00Z,x")),
        2,
        "field 'price': must be less than 10^10, got 1E+2147483647");
    assertBadRow(
        () -> TradeCsvReader.validate(trades("AAPL,1e-2147483647,1,2026-01-05T14:30:00Z,x")),
        2,
        "field 'price': has more than 8 decimal places (1E-2147483647)");
    assertBadRow(
        () -> BarCsvReader.validate(bars("AAPL,2026-01-05,1,1e2147483647,1,1,1"), null),
        2,
        "field 'high': must be less than 10^10");
  }

  @Test
  void numbersOfThousandsOfDigitsAreQuotedByTheirPrefixOnly() {
    String digits = "9".repeat(3_000);
    assertBadRow(
        () -> TradeCsvReader.validate(trades("AAPL," + digits + ",1,2026-01-05T14:30:00Z,x")),
        2,
        "field 'price': '99999999");
    assertBadRow(
        () -> TradeCsvReader.validate(trades("AAPL,1," + digits + ",2026-01-05T14:30:00Z,x")),
        2,
        "field 'size': '99999999");
    assertBadRow(
        () -> TradeCsvReader.validate(trades("AAPL,1,1," + digits + ",x")), 2, "field 'ts'");
  }

  @Test
  void aVeryLongLineIsRefusedWithoutReadingItWhole() {
    Path file = trades("AAPL,1,1,2026-01-05T14:30:00Z," + "x".repeat(5_000_000));
    assertBadRow(() -> TradeCsvReader.validate(file), 2, "longer than");
    Path noNewline = dir.resolve("one-line.csv");
    write(noNewline, ",".repeat(3_000_000).getBytes(StandardCharsets.UTF_8));
    assertBadRow(() -> TradeCsvReader.validate(noNewline), 1, "longer than");
  }

  @Test
  void aWrongColumnCountOrHeaderQuotesOnlyAPrefixOfTheRow() {
    assertBadRow(
        () -> TradeCsvReader.validate(trades("AAPL" + ",x".repeat(1500))),
        2,
        "expected 4 or 5 columns (symbol,price,size,ts[,tradeId]), got 1501: 'AAPL,x,x");
    assertBadRow(
        () -> TradeCsvReader.validate(Csv.write(dir, "h.csv", "symbol" + ",q".repeat(1500))),
        1,
        "is not the trades header");
    assertBadRow(
        () -> BarCsvReader.validate(bars("AAPL" + ",x".repeat(1500)), null),
        2,
        "expected 7 columns (symbol,ts,open,high,low,close,volume), got 1501: 'AAPL,x,x");
  }

  @Test
  void controlCharactersAnywhereInALineAreABadRow() {
    assertBadRow(
        () -> TradeCsvReader.validate(trades("AAPL,1,1,2026-01-05T14:30:00Z,id\u0000")),
        2,
        "the control character U+0000");
    assertBadRow(
        () -> TradeCsvReader.validate(trades("AAPL,1,1,2026-01-05T14:30:00Z,a\u001bb")),
        2,
        "the control character U+001B");
    assertBadRow(
        () -> TradeCsvReader.validate(trades("\u0085AAPL,1,1,2026-01-05T14:30:00Z,ab")),
        2,
        "the control character U+0085");
    // a tab is white space around a field, as a space is
    assertThat(TradeCsvReader.validate(trades("AAPL,\t1,1,2026-01-05T14:30:00Z,ab\t")))
        .isEqualTo(1);
  }

  @Test
  void aLoneSurrogateCannotComeFromUtf8() throws IOException {
    Path file = dir.resolve("surrogate.csv");
    byte[] row = "AAPL,1,1,2026-01-05T14:30:00Z,a".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[row.length + 4];
    System.arraycopy(row, 0, bytes, 0, row.length);
    bytes[row.length] = (byte) 0xED; // U+D800 encoded as if it were a character
    bytes[row.length + 1] = (byte) 0xA0;
    bytes[row.length + 2] = (byte) 0x80;
    bytes[row.length + 3] = '\n';
    Files.write(file, bytes);
    assertThatThrownBy(() -> TradeCsvReader.validate(file))
        .isInstanceOf(InvalidInputFileException.class)
        .hasMessageContaining("not valid UTF-8");
  }

  @Test
  void epochMillisAreAsciiDigitsOnly() {
    assertBadRow(
        () ->
            TradeCsvReader.validate(
                trades(
                    "AAPL,1,1,\u0661\u0667\u0666\u0667\u0666\u0662\u0663\u0664\u0660\u0660\u0660\u0660\u0660,x")),
        2,
        "field 'ts'");
  }

  @Test
  void aBarOutsideTheTradeRangeIsABadRowNotAFailureWhileProducing() {
    assertBadRow(
        () -> BarCsvReader.validate(bars("AAPL,+999999999-12-31T00:00:00Z,1,1,1,1,8"), null),
        2,
        "field 'ts': +999999999-12-31T00:00:00.000Z is outside the accepted range");
    assertBadRow(
        () -> BarCsvReader.validate(bars("AAPL,1969-12-31,1,1,1,1,8"), null),
        2,
        "field 'ts': 1969-12-31T00:00:00.000Z is outside the accepted range");
    assertBadRow(
        () -> BarCsvReader.validate(bars("AAPL,2099-12-31,1,1,1,1,8"), Duration.ofDays(2)),
        2,
        "the bar must end by 2100-01-01T00:00:00Z");
    Path lastDay = bars("AAPL,2099-12-30,1,1,1,1,8", "AAPL,2099-12-31,1,1,1,1,8");
    assertThat(BarCsvReader.validate(lastDay, null).interval()).isEqualTo(Duration.ofDays(1));
    assertThat(ticks(lastDay)).isEqualTo(16);
    Path pastTheEnd = bars("AAPL,2099-12-29,1,1,1,1,8", "AAPL,2099-12-31,1,1,1,1,8");
    assertBadRow(
        () -> BarCsvReader.validate(pastTheEnd, null), 3, "the bar must end by 2100-01-01");
  }

  @Test
  void aBarVolumeThatWouldMakeATickLargerThanATradeIsABadRow() {
    assertBadRow(
        () -> BarCsvReader.validate(bars("AAPL,2026-01-05,1,1,1,1,5000000000000"), null),
        2,
        "field 'volume': must be at most " + Trade.MAX_SIZE);
    assertBadRow(
        () -> BarCsvReader.validate(bars("AAPL,2026-01-05,1,1,1,1," + Long.MAX_VALUE), null),
        2,
        "field 'volume': must be at most");
  }

  @Test
  void aFileNameThatMakesBadTradeIdsIsABadRow() {
    Path longName = Csv.write(dir, "b".repeat(130) + ".csv", "AAPL,2026-01-05,1,1,1,1,8");
    assertBadRow(
        () -> BarCsvReader.validate(longName, Duration.ofDays(1)),
        1,
        "field 'tradeId': must be 1-128 characters");
    Path tradesLongName = Csv.write(dir, "t".repeat(130) + ".csv", "AAPL,1,1,2026-01-05");
    assertBadRow(
        () -> TradeCsvReader.validate(tradesLongName), 1, "field 'tradeId': must be 1-128");
  }

  private static long ticks(Path file) {
    long n = 0;
    try (BarTicks ticks = BarTicks.open(file, BarCsvReader.validate(file, null))) {
      for (Trade t = ticks.next(); t != null; t = ticks.next()) {
        n += t.size();
      }
    }
    return n;
  }

  private static void write(Path file, byte[] bytes) {
    try {
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
