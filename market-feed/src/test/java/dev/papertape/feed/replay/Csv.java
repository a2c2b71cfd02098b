package dev.papertape.feed.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test CSV files: resources and files written for one test. */
final class Csv {
  private Csv() {}

  static Path resource(String name) {
    try {
      return Path.of(Csv.class.getResource("/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path write(Path dir, String name, String... lines) {
    try {
      Path file = dir.resolve(name);
      Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
