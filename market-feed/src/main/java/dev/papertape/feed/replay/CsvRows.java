package dev.papertape.feed.replay;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The rows of a simple CSV file (UTF-8): fields split on commas and trimmed, one pair of enclosing
 * double quotes removed; blank lines and lines starting with {@code #} are not rows. Fields never
 * contain commas in the formats the feed reads, so quoting with embedded commas is not supported.
 */
final class CsvRows implements Closeable {
  private final Path file;
  private final BufferedReader reader;
  private int line;

  CsvRows(Path file) {
    this.file = file;
    if (Files.isDirectory(file)) {
      throw new InvalidInputFileException(file, 0, "is a directory, not a CSV file");
    }
    try {
      this.reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidInputFileException(file, 0, describe(e), e);
    }
  }

  /** The next row's fields, or {@code null} at the end of the file. */
  String[] next() {
    while (true) {
      String text;
      try {
        text = reader.readLine();
      } catch (IOException e) {
        throw new InvalidInputFileException(file, line + 1, describe(e), e);
      }
      if (text == null) {
        return null;
      }
      line++;
      if (line == 1 && !text.isEmpty() && text.charAt(0) == '\uFEFF') {
        text = text.substring(1);
      }
      String trimmed = text.trim();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      return split(trimmed);
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
      reader.close();
    } catch (IOException e) {
      throw new InvalidInputFileException(file, 0, describe(e), e);
    }
  }
}
