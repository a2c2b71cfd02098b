package dev.papertape.feed.replay;

import dev.papertape.feed.TradeSource;
import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.TextFields;
import dev.papertape.model.Trade;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a trades CSV file: {@code symbol,price,size,ts[,tradeId]}, one trade a row, with an
 * optional header row (a first row whose first field is {@code symbol}).
 *
 * <ul>
 *   <li>{@code price}: a decimal number greater than 0 with at most 8 decimal places, kept exact;
 *   <li>{@code size}: a whole number of at least 1;
 *   <li>{@code ts}: ISO-8601 with an offset ({@code 2026-01-05T14:30:00.123Z}), epoch milliseconds
 *       or a date (midnight UTC);
 *   <li>{@code tradeId}: optional; when absent or empty it is {@code <file-stem>-<line>}, so a
 *       replay of the same file gives the same ids; either way 1-128 characters of {@link
 *       TextFields text} (no control characters).
 * </ul>
 *
 * <p>Rows come back in file order; a bad row throws {@link InvalidInputFileException} naming the
 * file, the line and the reason (any file: see {@link CsvRows} for the limits). Trades get the
 * source {@value #SOURCE}.
 */
public final class TradeCsvReader implements TradeSource {
  /** Trade source name of replayed trades files. */
  public static final String SOURCE = "csv";

  static final String COLUMNS = "symbol,price,size,ts[,tradeId]";

  private final CsvRows rows;
  private final String idPrefix;
  private boolean first = true;

  public TradeCsvReader(Path file) {
    this.rows = new CsvRows(file);
    this.idPrefix = CsvRows.stem(file) + "-";
  }

  /**
   * Reads the whole file and checks every row, producing nothing.
   *
   * @return the number of trades in the file
   * @throws InvalidInputFileException at the first bad row
   */
  public static long validate(Path file) {
    long n = 0;
    try (TradeCsvReader reader = new TradeCsvReader(file)) {
      while (reader.next() != null) {
        n++;
      }
    }
    return n;
  }

  /** The next trade in file order, or {@code null} at the end of the file. */
  @Override
  public Trade next() {
    String[] f = rows.next();
    if (f != null && first) {
      first = false;
      if (f[0].toLowerCase(Locale.ROOT).equals("symbol")) {
        checkHeader(f);
        f = rows.next();
      }
    }
    if (f == null) {
      return null;
    }
    if (f.length != 4 && f.length != 5) {
      throw rows.error(
          "expected 4 or 5 columns ("
              + COLUMNS
              + "), got "
              + f.length
              + ": "
              + TextFields.quote(String.join(",", f)));
    }
    try {
      String tradeId = f.length == 5 && !f[4].isEmpty() ? f[4] : idPrefix + rows.line();
      return new Trade(
          f[0],
          CsvFields.decimal("price", f[1]),
          CsvFields.wholeNumber("size", f[2]),
          CsvFields.timestamp("ts", f[3]),
          tradeId,
          SOURCE);
    } catch (InvalidRecordException e) {
      throw rows.error(e.getMessage());
    }
  }

  private void checkHeader(String[] f) {
    String header = String.join(",", f).toLowerCase(Locale.ROOT);
    if (!header.equals("symbol,price,size,ts") && !header.equals("symbol,price,size,ts,tradeid")) {
      throw rows.error(
          "the header "
              + TextFields.quote(String.join(",", f))
              + " is not the trades header "
              + COLUMNS);
    }
  }

  @Override
  public void close() {
    rows.close();
  }
}
