package io.agentledger.clickhouse.embedded;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libchdb (the ClickHouse engine as a shared library, from npm) and the launcher that runs it as
 * clickhouse-local, installed once per machine into a cache outside the repository.
 *
 * <p>The package is installed into a staging directory next to its final place and renamed into it,
 * so an install killed half way leaves no half directory behind (the next one removes the staging
 * directory). A file lock keeps two test JVMs from installing at the same time.
 */
final class ChdbInstallation {

  static final String PACKAGE = "@chdb/lib-linux-x64-gnu";
  static final String VERSION = "26.7.3-stable.1";
  static final String CACHE_ENV = "AGENTLEDGER_CHDB_CACHE";
  static final String CACHE_PROPERTY = "agentledger.chdb.cache";

  private static final Logger LOG = LoggerFactory.getLogger(ChdbInstallation.class);
  private static final String STAGING = ".installing-";
  private static final Duration NPM_DEADLINE = Duration.ofMinutes(20);
  private static final Duration GCC_DEADLINE = Duration.ofMinutes(2);
  private static final String LAUNCHER_SOURCE = "chdb-launcher.c";

  /** What the server process runs: {@code launcher library clickhouse-local-arguments…}. */
  record Paths(Path library, Path launcher) {}

  private static Paths installed;
  private static LocalClickHouseException.NotInstallable notInstallable;

  private ChdbInstallation() {}

  /**
   * The installed paths, installing on the first call of this JVM when needed.
   *
   * @throws LocalClickHouseException.NotInstallable when this host cannot have it (remembered)
   */
  static synchronized Paths get() {
    if (installed != null) {
      return installed;
    }
    if (notInstallable != null) {
      throw notInstallable;
    }
    try {
      installed = install(cacheRoot());
      return installed;
    } catch (LocalClickHouseException.NotInstallable e) {
      notInstallable = e;
      throw e;
    } catch (IOException e) {
      notInstallable =
          new LocalClickHouseException.NotInstallable(
              "cannot install libchdb into " + cacheRoot() + ": " + e, e);
      throw notInstallable;
    }
  }

  /**
   * {@value #CACHE_PROPERTY} or {@value #CACHE_ENV} when set, else {@code
   * $XDG_CACHE_HOME/agentledger/chdb} ({@code ~/.cache/agentledger/chdb}).
   */
  static Path cacheRoot() {
    String configured = System.getProperty(CACHE_PROPERTY, System.getenv(CACHE_ENV));
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured.strip()).toAbsolutePath();
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path cache =
        xdg == null || xdg.isBlank()
            ? Path.of(System.getProperty("user.home"), ".cache")
            : Path.of(xdg);
    return cache.resolve("agentledger").resolve("chdb").toAbsolutePath();
  }

  private static Paths install(Path root) throws IOException {
    requireLinuxX64();
    Files.createDirectories(root);
    try (FileChannel channel =
        FileChannel.open(
            root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock = channel.lock(); // another JVM installing: wait for it, then use its copy
      try {
        Path versionDir = root.resolve(VERSION);
        if (!Files.isRegularFile(library(versionDir))) {
          removeAbandonedStaging(root);
          download(root, versionDir);
        }
        return new Paths(library(versionDir), compileLauncher(versionDir));
      } finally {
        lock.release();
      }
    }
  }

  private static Path library(Path dir) {
    return dir.resolve("node_modules").resolve(PACKAGE).resolve("libchdb.so");
  }

  private static void requireLinuxX64() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "");
    if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      throw new LocalClickHouseException.NotInstallable(
          PACKAGE + " is built for Linux x86-64 only, this is " + os + " " + arch);
    }
  }

  private static void download(Path root, Path versionDir) throws IOException {
    requireCommand("npm");
    Path staging = Files.createTempDirectory(root, VERSION + STAGING);
    String spec = PACKAGE + "@" + VERSION;
    LOG.info(
        "Installing ClickHouse once: npm {} (a 178 MB download, 560 MB unpacked) into {}",
        spec,
        versionDir);
    long started = System.nanoTime();
    // Its own npm cache inside the staging directory: its growth is the download's progress.
    run(
        List.of(
            "npm",
            "install",
            "--prefix",
            staging.toString(),
            "--cache",
            staging.resolve("npm-cache").toString(),
            "--no-save",
            "--no-package-lock",
            "--no-audit",
            "--no-fund",
            "--ignore-scripts",
            "--loglevel=error",
            spec),
        staging,
        NPM_DEADLINE,
        () -> LOG.info("  … {} MB downloaded and unpacked so far", megabytes(staging)));
    deleteRecursively(staging.resolve("npm-cache"));
    if (!Files.isRegularFile(library(staging))) {
      throw new LocalClickHouseException.NotInstallable(
          "npm installed " + spec + " but there is no " + library(staging));
    }
    Files.move(staging, versionDir, StandardCopyOption.ATOMIC_MOVE);
    LOG.info(
        "Installed {} in {} s", spec, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
  }

  /**
   * The launcher for this source, compiled unless it is there: its name holds the source's hash.
   */
  private static Path compileLauncher(Path versionDir) throws IOException {
    byte[] source;
    try (InputStream in = ChdbInstallation.class.getResourceAsStream(LAUNCHER_SOURCE)) {
      if (in == null) {
        throw new IllegalStateException(LAUNCHER_SOURCE + " is missing from the classpath");
      }
      source = in.readAllBytes();
    }
    Path launcher = versionDir.resolve("chdb-launcher-" + sha256(source).substring(0, 12));
    if (Files.isExecutable(launcher)) {
      return launcher;
    }
    requireCommand("gcc");
    Path work = Files.createTempDirectory(versionDir, "launcher" + STAGING);
    try {
      Path c = Files.write(work.resolve(LAUNCHER_SOURCE), source);
      Path binary = work.resolve("chdb-launcher");
      run(
          List.of("gcc", "-O2", "-o", binary.toString(), c.toString(), "-ldl"),
          work,
          GCC_DEADLINE,
          () -> {});
      Files.move(binary, launcher, StandardCopyOption.ATOMIC_MOVE);
      return launcher;
    } finally {
      deleteRecursively(work);
    }
  }

  private static void requireCommand(String command) {
    try {
      Process p =
          new ProcessBuilder(command, "--version")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new LocalClickHouseException.NotInstallable(
            command + " --version did not answer; it is needed to install libchdb");
      }
    } catch (IOException e) {
      throw new LocalClickHouseException.NotInstallable(
          command + " is not installed (.ci/run installs it with apt-get)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalClickHouseException("interrupted looking for " + command, e);
    }
  }

  /** Runs a command in {@code dir} with its output in {@code dir/command.log}; fails with it. */
  private static void run(List<String> command, Path dir, Duration deadline, Runnable progress)
      throws IOException {
    Path log = dir.resolve(Path.of(command.get(0)).getFileName() + ".log");
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    long until = System.nanoTime() + deadline.toNanos();
    try {
      while (!p.waitFor(5, TimeUnit.SECONDS)) {
        if (System.nanoTime() > until) {
          p.destroyForcibly().waitFor();
          throw new LocalClickHouseException.NotInstallable(
              String.join(" ", command) + " took longer than " + deadline + ": " + tail(log));
        }
        progress.run();
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new LocalClickHouseException("interrupted running " + command.get(0), e);
    }
    if (p.exitValue() != 0) {
      throw new LocalClickHouseException.NotInstallable(
          String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + tail(log));
    }
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no output: " + e + ")";
    }
  }

  private static void removeAbandonedStaging(Path root) throws IOException {
    List<Path> abandoned = new ArrayList<>();
    try (Stream<Path> entries = Files.list(root)) {
      entries.filter(p -> p.getFileName().toString().contains(STAGING)).forEach(abandoned::add);
    }
    for (Path p : abandoned) {
      LOG.info("Removing {}, left by an install that did not finish", p);
      deleteRecursively(p);
    }
  }

  private static long megabytes(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(ChdbInstallation::size).sum() >> 20;
    } catch (IOException | UncheckedIOException e) {
      return 0; // files come and go while npm works; the next report counts again
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
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
