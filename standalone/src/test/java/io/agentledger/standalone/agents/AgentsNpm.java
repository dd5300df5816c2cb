package io.agentledger.standalone.agents;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The capture scenarios of {@code core/src/test/fixtures-capture/agents} (OpenAI Agents SDK, MCP
 * client and server, the fake Responses API), installed once per package-lock into {@code
 * ~/.cache/agentledger/npm/agents-<hash>} with {@code npm ci}, outside the repository.
 */
final class AgentsNpm {

  static final Path SOURCE =
      Path.of("..", "core", "src", "test", "fixtures-capture", "agents")
          .toAbsolutePath()
          .normalize();

  private AgentsNpm() {}

  /** The installed directory (package.json, lib/, scenarios/, node_modules/). */
  static synchronized Path install() throws IOException, InterruptedException {
    byte[] lock = Files.readAllBytes(SOURCE.resolve("package-lock.json"));
    Path dir = cacheRoot().resolve("agents-" + sha256(lock).substring(0, 16));
    Path done = dir.resolve(".installed");
    if (!Files.exists(done)) {
      Path staging = Files.createDirectories(cacheRoot()).resolve(dir.getFileName() + ".staging");
      deleteRecursively(staging);
      Files.createDirectories(staging);
      copy(SOURCE.resolve("package.json"), staging);
      copy(SOURCE.resolve("package-lock.json"), staging);
      run(staging, 600, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
      deleteRecursively(dir);
      Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
      Files.writeString(done, "npm ci\n");
    }
    // The scripts are cheap to copy, and always the checkout's.
    for (String sub : List.of("lib", "scenarios")) {
      Path target = Files.createDirectories(dir.resolve(sub));
      try (Stream<Path> files = Files.list(SOURCE.resolve(sub))) {
        for (Path f : files.toList()) {
          Files.copy(f, target.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return dir;
  }

  static Path cacheRoot() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path cache =
        xdg == null || xdg.isBlank()
            ? Path.of(System.getProperty("user.home"), ".cache")
            : Path.of(xdg);
    return cache.resolve("agentledger").resolve("npm").toAbsolutePath();
  }

  private static void run(Path dir, int seconds, String... command)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile("agentledger-npm", ".log");
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + " timed out: " + Files.readString(log));
    }
    if (p.exitValue() != 0) {
      throw new IOException(
          String.join(" ", command) + " exited " + p.exitValue() + ": " + Files.readString(log));
    }
    Files.deleteIfExists(log);
  }

  private static void copy(Path file, Path dir) throws IOException {
    Files.copy(file, dir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(java.util.Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
