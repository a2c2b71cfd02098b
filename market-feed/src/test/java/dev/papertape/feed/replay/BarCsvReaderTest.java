package dev.papertape.feed.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BarCsvReaderTest {
  @TempDir Path dir;

  @Test
  void validatesAGoodFileAndInfersTheBarLength() {
    BarFile checked = BarCsvReader.validate(Csv.resource("bars-good.csv"), null);

    assertThat(checked.bars()).isEqualTo(5);
    assertThat(checked.ticks()).isEqualTo(4 + 4 + 1 + 0 + 4);
    assertThat(checked.interval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(checked.inferred()).isTrue();
  }

  @Test
  void theSmallestGapOfAnySymbolIsTheInferredLength() {
    Path file =
        Csv.write(
            dir,
            "daily.csv",
            "AAPL,2026-01-02,100,101,99,100,10",
            "AAPL,2026-01-05,100,101,99,100,10",
            "AAPL,2026-01-06,100,101,99,100,10");

    assertThat(BarCsvReader.validate(file, null).interval()).isEqualTo(Duration.ofDays(1));
  }

  @Test
  void aGivenLengthIsKeptAndChecked() {
    assertThat(BarCsvReader.validate(Csv.resource("bars-good.csv"), Duration.ofSeconds(30)))
        .isEqualTo(new BarFile(5, 13, Duration.ofSeconds(30), false));
    assertThatThrownBy(
            () -> BarCsvReader.validate(Csv.resource("bars-good.csv"), Duration.ofDays(1)))
        .isInstanceOf(InvalidInputFileException.class)
        .hasMessageContaining("line 4")
        .hasMessageContaining("starts 1m after the one at line 2, less than the bar length 1d");
  }

  @Test
  void theLengthCannotBeInferredFromOneBarPerSymbol() {
    Path file =
        Csv.write(
            dir,
            "one.csv",
            "AAPL,2026-01-05T14:30:00Z,100,101,99,100,10",
            "MSFT,2026-01-05T14:31:00Z,100,101,99,100,10");

    assertThatThrownBy(() -> BarCsvReader.validate(file, null))
        .isInstanceOf(InvalidInputFileException.class)
        .hasMessageContaining("pass --bar-interval");
    assertThat(BarCsvReader.validate(file, Duration.ofMinutes(1)).bars()).isEqualTo(2);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          wrong column count  | AAPL,2026-01-05T14:31:00Z,100,101,99,100             | expected 7 columns (symbol,ts,open,high,low,close,volume), got 6
          bad open            | AAPL,2026-01-05T14:31:00Z,x,101,99,100,10           | field 'open': 'x' is not a decimal number
          negative low        | AAPL,2026-01-05T14:31:00Z,100,101,-1,100,10         | field 'low': must be greater than 0
          low above high      | AAPL,2026-01-05T14:31:00Z,100,101,102,100,10        | field 'low': low 102 is above high 101
          open above high     | AAPL,2026-01-05T14:31:00Z,102,101,99,100,10         | field 'open': open 102 is outside [low 99, high 101]
          close below low     | AAPL,2026-01-05T14:31:00Z,100,101,99,98,10          | field 'close': close 98 is outside [low 99, high 101]
          negative volume     | AAPL,2026-01-05T14:31:00Z,100,101,99,100,-5         | field 'volume': must be at least 0, got -5
          fractional volume   | AAPL,2026-01-05T14:31:00Z,100,101,99,100,2.5        | field 'volume': '2.5' is not a whole number
          bad ts              | AAPL,14:31,100,101,99,100,10                        | field 'ts': '14:31' is not an ISO-8601 timestamp
          bad symbol          | A A,2026-01-05T14:31:00Z,100,101,99,100,10          | field 'symbol': 'A A' is not a valid symbol
          out of time order   | MSFT,2026-01-05T14:29:00Z,100,101,99,100,10         | bars must be in time order: ts 2026-01-05T14:29:00Z is before 2026-01-05T14:30:00Z at line 2
          duplicate bar       | AAPL,2026-01-05T14:30:00Z,100,101,99,100,10         | a second AAPL bar at 2026-01-05T14:30:00Z (the first is at line 2)
          """)
  void aBadRowNamesTheFileTheLineAndTheReason(String name, String row, String reason) {
    Path file =
        Csv.write(
            dir,
            "bars.csv",
            "symbol,ts,open,high,low,close,volume",
            "AAPL,2026-01-05T14:30:00Z,100,101,99,100,10",
            row);

    assertThatThrownBy(() -> BarCsvReader.validate(file, null))
        .isInstanceOf(InvalidInputFileException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("line 3")
        .hasMessageContaining(reason);
  }

  @Test
  void aWrongHeaderIsABadRow() {
    Path file = Csv.write(dir, "h.csv", "symbol,ts,o,h,l,c,v");

    assertThatThrownBy(() -> BarCsvReader.validate(file, null))
        .hasMessageContaining("line 1")
        .hasMessageContaining("is not the bars header symbol,ts,open,high,low,close,volume");
  }
}
