package dev.papertape.flink.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the newest completed checkpoint or savepoint under the embedded Flink's state directory, so
 * a restarted {@code ./papertape up} resumes exactly where the last run stopped. A checkpoint or
 * savepoint is complete when its {@code _metadata} file exists (Flink writes it last).
 */
public final class RecoveryPoints {
  private RecoveryPoints() {}

  /** The directory of the newest complete checkpoint/savepoint under {@code roots}, if any. */
  public static Optional<Path> latest(List<Path> roots) {
    return roots.stream()
        .filter(Files::isDirectory)
        .flatMap(RecoveryPoints::metadataFiles)
        .max(Comparator.comparing(RecoveryPoints::modified))
        .map(Path::getParent);
  }

  private static Stream<Path> metadataFiles(Path root) {
    try (Stream<Path> s =
        Files.find(root, 3, (p, a) -> p.getFileName().toString().equals("_metadata"))) {
      return s.toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
  }

  private static FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stat " + p, e);
    }
  }
}
