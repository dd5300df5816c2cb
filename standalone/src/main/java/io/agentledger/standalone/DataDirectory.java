package io.agentledger.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory holds spans (prompts included), keys and Kafka credentials: it is made
 * accessible to its owner only (0700), so whatever is created inside is out of other users' reach
 * from the first byte, and the files we know of are narrowed to 0600 for good measure.
 */
final class DataDirectory {

  private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);

  private DataDirectory() {}

  /** Creates the directory with mode 0700, or narrows an existing one (telling the user). */
  static void secure(Path dir) {
    try {
      Files.createDirectories(dir);
      if (!posix()) {
        return;
      }
      String before = PosixFilePermissions.toString(Files.getPosixFilePermissions(dir));
      if (!before.equals("rwx------")) {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        LOG.info("Data directory {} narrowed from {} to rwx------", dir, before);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + dir, e);
    }
  }

  /** Narrows a file (and its write-ahead log) to mode 0600, if present. */
  static void restrict(Path file) {
    if (!posix()) {
      return;
    }
    try {
      for (Path f : new Path[] {file, file.resolveSibling(file.getFileName() + ".wal")}) {
        if (Files.exists(f)) {
          Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restrict " + file, e);
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
