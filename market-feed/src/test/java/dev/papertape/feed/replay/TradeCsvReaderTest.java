package dev.papertape.feed.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.papertape.model.Trade;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TradeCsvReaderTest {
  @TempDir Path dir;

  static List<Trade> readAll(Path file) {
    List<Trade> out = new ArrayList<>();
    try (TradeCsvReader r = new TradeCsvReader(file)) {
      for (Trade t = r.next(); t != null; t = r.next()) {
        out.add(t);
      }
    }
    return out;
  }

  private static Trade trade(String symbol, String price, long size, String ts, String id) {
    return new Trade(symbol, new BigDecimal(price), size, Instant.parse(ts), id, "csv");
  }

  @Test
  void readsAGoodFileInOrderWithExactPrices() {
    Path file = Csv.resource("trades-good.csv");

    assertThat(readAll(file))
        .containsExactly(
            trade("AAPL", "189.42", 100, "2026-01-05T14:30:00.123Z", "t-1"),
            trade("MSFT", "420.1", 50, "2026-01-05T14:30:00.200Z", "t-2"),
            trade("AAPL", "189.45", 200, "2026-01-05T14:30:01Z", "trades-good-4"),
            trade("MSFT", "420.125", 10, "2026-01-05T14:30:01.500Z", "t-4"),
            trade("TSLA", "250", 1, "2026-01-05T14:30:02Z", "t-5"),
            trade("AAPL", "189.4", 300, "2026-01-05T14:30:02.500Z", "t-6"));
    assertThat(TradeCsvReader.validate(file)).isEqualTo(6);
  }

  @Test
  void theHeaderIsOptionalAndIdsDefaultToStemAndLine() {
    Path file =
        Csv.write(
            dir,
            "day1.csv",
            "\uFEFFAAPL,189.42,100,2026-01-05T14:30:00Z",
            "\"GOOGL\", \"175.5\" ,7,2026-01-05",
            "MSFT,420,1,2026-01-05T14:30:01Z");

    assertThat(readAll(file))
        .extracting(Trade::symbol, Trade::tradeId, Trade::ts)
        .containsExactly(
            tuple("AAPL", "day1-1", Instant.parse("2026-01-05T14:30:00Z")),
            tuple("GOOGL", "day1-2", Instant.parse("2026-01-05T00:00:00Z")),
            tuple("MSFT", "day1-3", Instant.parse("2026-01-05T14:30:01Z")));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          too few columns       | AAPL,189.42,100                                  | expected 4 or 5 columns (symbol,price,size,ts[,tradeId]), got 3
          too many columns      | AAPL,189.42,100,2026-01-05T14:30:00Z,t,x         | expected 4 or 5 columns
          price not a number    | AAPL,abc,100,2026-01-05T14:30:00Z                | field 'price': 'abc' is not a decimal number
          price not positive    | AAPL,-1,100,2026-01-05T14:30:00Z                 | field 'price': must be greater than 0, got -1
          price too precise     | AAPL,1.123456789,100,2026-01-05T14:30:00Z        | field 'price': has more than 8 decimal places
          price missing         | AAPL,,100,2026-01-05T14:30:00Z                   | field 'price': is missing
          size not whole        | AAPL,189.42,1.5,2026-01-05T14:30:00Z             | field 'size': '1.5' is not a whole number
          size zero             | AAPL,189.42,0,2026-01-05T14:30:00Z               | field 'size': must be a whole number of at least 1, got 0
          ts not a time         | AAPL,189.42,100,yesterday                        | field 'ts': 'yesterday' is not an ISO-8601 timestamp
          ts without offset     | AAPL,189.42,100,2026-01-05T14:30:00              | field 'ts': '2026-01-05T14:30:00' is not an ISO-8601
          ts bad date           | AAPL,189.42,100,2026-02-30                       | field 'ts': '2026-02-30' is not a valid date
          symbol malformed      | 1AAPL,189.42,100,2026-01-05T14:30:00Z            | field 'symbol': '1AAPL' is not a valid symbol
          symbol missing        | ,189.42,100,2026-01-05T14:30:00Z                 | field 'symbol': symbol is missing
          """)
  void aBadRowNamesTheFileTheLineAndTheReason(String name, String row, String reason) {
    Path file =
        Csv.write(
            dir,
            "bad.csv",
            "symbol,price,size,ts",
            "AAPL,189.40,100,2026-01-05T14:29:59Z",
            "",
            row,
            "AAPL,189.41,100,2026-01-05T14:30:01Z");

    assertThatThrownBy(() -> TradeCsvReader.validate(file))
        .isInstanceOf(InvalidInputFileException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("line 4")
        .hasMessageContaining(reason)
        .satisfies(e -> assertThat(((InvalidInputFileException) e).line()).isEqualTo(4));
  }

  @Test
  void aWrongHeaderIsABadRow() {
    Path file = Csv.write(dir, "h.csv", "symbol,size,price,ts", "AAPL,1,2,2026-01-05T14:30:00Z");

    assertThatThrownBy(() -> TradeCsvReader.validate(file))
        .hasMessageContaining("line 1")
        .hasMessageContaining("is not the trades header symbol,price,size,ts[,tradeId]");
  }

  @Test
  void aMissingFileIsReportedAsSuch() {
    Path file = dir.resolve("nope.csv");

    assertThatThrownBy(() -> TradeCsvReader.validate(file))
        .isInstanceOf(InvalidInputFileException.class)
        .hasMessage("cannot replay " + file + ": no such file");
  }

  @Test
  void aFileThatIsNotUtf8IsReported() throws IOException {
    Path file = dir.resolve("latin1.csv");
    Files.write(file, new byte[] {'A', 'A', 'P', 'L', ',', (byte) 0xE9, (byte) 0xFF, '\n'});

    assertThatThrownBy(() -> TradeCsvReader.validate(file))
        .isInstanceOf(InvalidInputFileException.class)
        .hasMessageContaining("not valid UTF-8");
  }

  @Test
  void aDirectoryIsNotAFile() {
    assertThatThrownBy(() -> TradeCsvReader.validate(dir))
        .isInstanceOf(InvalidInputFileException.class)
        .hasMessage("cannot replay " + dir + ": is a directory, not a CSV file");
  }
}
