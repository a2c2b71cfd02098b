package dev.papertape.feed.replay;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The rows of a simple CSV file (UTF-8): fields split on commas and trimmed, one pair of enclosing
 * double quotes removed; blank lines and lines starting with {@code #} are not rows. Fields never
 * contain commas in the formats the feed reads, so quoting with embedded commas is not supported.
 *
 * <p>Any file is read in bounded memory and gives rows or an {@link InvalidInputFileException}
 * naming the line: bytes that are not UTF-8, a line longer than {@value #MAX_LINE} characters, or a
 * control character other than a tab anywhere in a line (comments included) make it a bad file.
 */
final class CsvRows implements Closeable {
  /** Longest line read, in characters: rows of the replay formats are a few hundred at most. */
  static final int MAX_LINE = 4096;

  private final Path file;
  private final InputStream in;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final ByteBuffer bytes = ByteBuffer.allocate(8192).flip();
  private final CharBuffer chars = CharBuffer.allocate(8192).flip();
  private boolean endOfInput;
  private boolean decoded;
  private CoderResult malformed;
  private int line;

  CsvRows(Path file) {
    this.file = file;
    if (Files.isDirectory(file)) {
      throw new InvalidInputFileException(file, 0, "is a directory, not a CSV file");
    }
    try {
      this.in = Files.newInputStream(file);
    } catch (IOException e) {
      throw new InvalidInputFileException(file, 0, describe(e), e);
    }
  }

  /** The next row's fields, or {@code null} at the end of the file. */
  String[] next() {
    while (true) {
      String text = readLine();
      if (text == null) {
        return null;
      }
      if (line == 1 && !text.isEmpty() && text.charAt(0) == '\uFEFF') {
        text = text.substring(1);
      }
      checkCharacters(text);
      String trimmed = text.trim();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      return split(trimmed);
    }
  }

  /**
   * The next line without its terminator ({@code \n}, {@code \r\n} or {@code \r}), or {@code null}
   * at the end of the file; refuses a line longer than {@value #MAX_LINE} characters before reading
   * the rest of it, so memory stays bounded whatever the file holds.
   */
  private String readLine() {
    StringBuilder b = new StringBuilder(128);
    try {
      int c = read();
      if (c < 0) {
        return null;
      }
      while (c >= 0 && c != '\n' && c != '\r') {
        if (b.length() == MAX_LINE) {
          throw new InvalidInputFileException(
              file, line + 1, "the line is longer than " + MAX_LINE + " characters");
        }
        b.append((char) c);
        c = read();
      }
      if (c == '\r' && peek() == '\n') {
        read();
      }
    } catch (IOException e) {
      throw new InvalidInputFileException(file, line + 1, describe(e), e);
    }
    line++;
    return b.toString();
  }

  private int read() throws IOException {
    int c = peek();
    if (c >= 0) {
      chars.position(chars.position() + 1);
    }
    return c;
  }

  /**
   * The next character without consuming it, or -1 at the end. Decodes UTF-8 itself, so bytes that
   * are not UTF-8 are reported only once every character before them has been read: the error names
   * the line that holds them.
   */
  private int peek() throws IOException {
    while (!chars.hasRemaining()) {
      if (malformed != null) {
        malformed.throwException();
      }
      if (decoded) {
        return -1;
      }
      decodeMore();
    }
    return chars.get(chars.position());
  }

  private void decodeMore() throws IOException {
    if (!endOfInput) {
      bytes.compact();
      int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
      if (n < 0) {
        endOfInput = true;
      } else {
        bytes.position(bytes.position() + n);
      }
      bytes.flip();
    }
    chars.clear();
    CoderResult r = decoder.decode(bytes, chars, endOfInput);
    if (r.isError()) {
      malformed = r;
    } else if (endOfInput && r.isUnderflow()) {
      decoder.flush(chars);
      decoded = true;
    }
    chars.flip();
  }

  /**
   * Tabs are white space; any other control character makes the row bad (see the class comment).
   */
  private void checkCharacters(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) && c != '\t') {
        throw error(
            String.format(
                "the line contains the control character U+%04X at column %d; only text and tabs"
                    + " are accepted",
                (int) c, i + 1));
      }
    }
  }

  private static String[] split(String text) {
    String[] fields = text.split(",", -1);
    for (int i = 0; i < fields.length; i++) {
      String f = fields[i].trim();
      if (f.length() >= 2 && f.charAt(0) == '"' && f.charAt(f.length() - 1) == '"') {
        f = f.substring(1, f.length() - 1).trim();
      }
      fields[i] = f;
    }
    return fields;
  }

  /** 1-based number of the line {@link #next} returned last. */
  int line() {
    return line;
  }

  Path file() {
    return file;
  }

  /** A bad-row error at the current line. */
  InvalidInputFileException error(String reason) {
    return new InvalidInputFileException(file, line, reason);
  }

  /** The name of the file without its extension: the prefix of generated trade ids. */
  static String stem(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  private static String describe(IOException e) {
    if (e instanceof CharacterCodingException) {
      return "the file is not valid UTF-8 text";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return "cannot read the file (" + e + ")";
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      throw new InvalidInputFileException(file, 0, describe(e), e);
    }
  }
}
