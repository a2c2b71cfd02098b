package dev.papertape.api.market;

import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.Symbols;

/**
 * The {@code after} cursor of the listings in symbol order ({@code /symbols}, {@code /metrics}):
 * the canonical symbol the page starts after.
 */
public record SymbolCursor(String symbol) {

  /**
   * The canonical form of a symbol (any case, surrounding spaces allowed).
   *
   * @throws InvalidRecordException naming the {@code after} parameter when it is not a symbol
   */
  public static SymbolCursor parse(String text) {
    return new SymbolCursor(Symbols.normalize("after", text));
  }

  /** The symbol to list after: {@code ""} (from the first) when there is no cursor. */
  static String after(SymbolCursor cursor) {
    return cursor == null ? "" : cursor.symbol();
  }
}
