package io.agentledger.clickhouse.embedded;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real ClickHouse server for tests on hosts without Docker: clickhouse-local (ClickHouse 26.7,
 * from npm's libchdb) serving ClickHouse's own HTTP interface, in a child process of this JVM.
 *
 * <p>The first use on a machine installs libchdb into a cache outside the repository (see {@link
 * #unavailableReason()}); later starts take about half a second. Tables live in {@code
 * directory/data} and survive {@link #stop()}, {@link #kill()} and {@link #restart()}, which keeps
 * the port, so a JDBC URL handed out before stays valid.
 *
 * <p>The server exits by itself when this JVM does: it keeps running a query that reads its
 * standard input, which is a pipe from this JVM.
 *
 * <pre>{@code
 * try (LocalClickHouse ch = LocalClickHouse.builder(dir).start()) {
 *   DriverManager.getConnection(ch.jdbcUrl(), ch.user(), ch.password());
 * }
 * }</pre>
 */
public final class LocalClickHouse implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalClickHouse.class);
  private static final String HOST = "127.0.0.1";

  /**
   * Opens the HTTP listener, then blocks on standard input without using the CPU (a {@code
   * numbers()} loop with {@code sleepEachRow} keeps a core busy) and ends when the pipe closes.
   */
  private static final String SERVE =
      "SYSTEM START LISTEN HTTP; SELECT count() FROM file('/dev/stdin', 'LineAsString')";

  private static @Nullable LocalClickHouse shared;

  private final Path directory;
  private final String user;
  private final String password;
  private final boolean portChosen;
  private final Duration startTimeout;
  private final Duration stopTimeout;
  private final Duration queryTimeout;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private int httpPort;
  private @Nullable Process process;
  private @Nullable OutputStream keepAlive;

  private LocalClickHouse(Builder b) {
    this.directory = b.directory.toAbsolutePath();
    this.user = b.user;
    this.password = b.password;
    this.httpPort = b.httpPort;
    this.queryTimeout = b.queryTimeout;
    this.portChosen = b.httpPort == 0;
    this.startTimeout = b.startTimeout;
    this.stopTimeout = b.stopTimeout;
  }

  /** A server keeping its configuration, log and tables in {@code directory}. */
  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  /**
   * Why this host cannot run a local ClickHouse (no npm or gcc to install it, not Linux x86-64, the
   * download failed), or empty when it can. Installs libchdb on the first call when needed: a 178
   * MB download, once per machine, into {@code ~/.cache/agentledger/chdb} or the directory named by
   * the system property {@code agentledger.chdb.cache} or the variable {@code
   * AGENTLEDGER_CHDB_CACHE}.
   */
  public static Optional<String> unavailableReason() {
    try {
      ChdbInstallation.get();
      return Optional.empty();
    } catch (LocalClickHouseException.NotInstallable e) {
      return Optional.of("cannot install ClickHouse (libchdb) here: " + e.getMessage());
    }
  }

  /**
   * One server for the whole JVM, started on first use in a temporary directory, stopped and
   * removed when the JVM exits. Tests share it and separate their work by database.
   */
  public static synchronized LocalClickHouse shared() {
    if (shared == null) {
      Path dir;
      try {
        dir = Files.createTempDirectory("agentledger-clickhouse-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      LocalClickHouse server = builder(dir).start();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    server.stop();
                    try {
                      ChdbInstallation.deleteRecursively(dir);
                    } catch (IOException e) {
                      LOG.warn("Cannot remove {}", dir, e);
                    }
                  },
                  "local-clickhouse-shutdown"));
      shared = server;
    }
    return shared;
  }

  /** Starts the server unless it runs; returns once it answers queries over HTTP. */
  public synchronized LocalClickHouse start() {
    if (isRunning()) {
      return this;
    }
    ChdbInstallation.Paths chdb = ChdbInstallation.get();
    try {
      writeConfig();
      if (httpPort == 0) {
        httpPort = freePort();
      }
      long started = System.nanoTime();
      if (!awaitReady(launch(chdb)) && portChosen) {
        // Another process took the chosen port between our check and the server's bind.
        httpPort = freePort();
        awaitReady(launch(chdb));
      }
      if (!isRunning()) {
        throw new LocalClickHouseException(
            "local ClickHouse exited while starting: " + ChdbInstallation.tail(log()));
      }
      LOG.info(
          "Local ClickHouse up on {} in {} ms (pid {}, data in {})",
          httpUrl(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
          pid(),
          dataDir());
      return this;
    } catch (IOException e) {
      throw new LocalClickHouseException("cannot start local ClickHouse in " + directory, e);
    }
  }

  /** Stops the server: SIGTERM, then SIGKILL when it has not exited by the stop timeout. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    ProcessHandle handle = process.toHandle();
    handle.destroy();
    if (!awaitExit(handle, stopTimeout)) {
      LOG.warn("Local ClickHouse (pid {}) ignored SIGTERM for {}; killing it", pid(), stopTimeout);
      handle.destroyForcibly();
      awaitExit(handle, stopTimeout);
    }
    released();
  }

  /** Kills the server at once (SIGKILL), as a crash or an outage would; the data stays. */
  public synchronized void kill() {
    if (process == null) {
      return;
    }
    ProcessHandle handle = process.toHandle();
    handle.destroyForcibly();
    awaitExit(handle, stopTimeout);
    released();
  }

  /** Stops the server and starts it again on the same data and port. */
  public synchronized LocalClickHouse restart() {
    stop();
    return start();
  }

  @Override
  public void close() {
    stop();
  }

  /** {@code jdbc:clickhouse://127.0.0.1:port} (database {@code default}). */
  public String jdbcUrl() {
    return "jdbc:clickhouse://" + HOST + ":" + httpPort();
  }

  /** {@code jdbc:clickhouse://127.0.0.1:port/database}. */
  public String jdbcUrl(String database) {
    return jdbcUrl() + "/" + database;
  }

  public URI httpUrl() {
    return URI.create("http://" + HOST + ":" + httpPort() + "/");
  }

  public int httpPort() {
    if (httpPort == 0) {
      throw new IllegalStateException("local ClickHouse has not been started");
    }
    return httpPort;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** The server process's id, while it runs. */
  public synchronized long pid() {
    if (process == null) {
      throw new IllegalStateException("local ClickHouse is not running");
    }
    return process.pid();
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  public Path directory() {
    return directory;
  }

  /** Where ClickHouse keeps its tables ({@code --path}). */
  public Path dataDir() {
    return directory.resolve("data");
  }

  /** The server's standard output and error. */
  public Path log() {
    return directory.resolve("clickhouse.log");
  }

  /**
   * Runs one statement over HTTP as {@link #user()} and returns its output ({@code TabSeparated}).
   */
  public String query(String sql) {
    try {
      HttpResponse<String> r = http.send(request(sql), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new LocalClickHouseException(
            "local ClickHouse answered " + r.statusCode() + " to " + sql + ": " + r.body());
      }
      return r.body();
    } catch (IOException e) {
      throw new LocalClickHouseException("cannot reach local ClickHouse at " + httpUrl(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalClickHouseException("interrupted querying local ClickHouse", e);
    }
  }

  // --- process ------------------------------------------------------------------------------

  private Process launch(ChdbInstallation.Paths chdb) throws IOException {
    List<String> command =
        List.of(
            chdb.launcher().toString(),
            chdb.library().toString(),
            "--path=" + dataDir() + "/",
            "--config-file=" + directory.resolve("config.xml"),
            "--listen_host=" + HOST,
            "--http_port=" + httpPort,
            "--query=" + SERVE);
    Process started =
        new ProcessBuilder(command)
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
            .start();
    process = started;
    keepAlive = started.getOutputStream(); // open until stop(): the serving query reads it
    return started;
  }

  /** True once it answers; false when the process exited (its log says why). */
  private boolean awaitReady(Process started) {
    long deadline = System.nanoTime() + startTimeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (answers()) {
        return true;
      }
      try {
        if (started.waitFor(50, TimeUnit.MILLISECONDS)) {
          LOG.warn(
              "Local ClickHouse exited with {} while starting: {}",
              started.exitValue(),
              ChdbInstallation.tail(log()));
          released();
          return false;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        kill();
        throw new LocalClickHouseException("interrupted starting local ClickHouse", e);
      }
    }
    kill();
    throw new LocalClickHouseException(
        "local ClickHouse did not answer on "
            + httpUrl()
            + " within "
            + startTimeout
            + ": "
            + ChdbInstallation.tail(log()));
  }

  private boolean answers() {
    try {
      HttpResponse<String> r = http.send(request("SELECT 1"), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && r.body().strip().equals("1");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private HttpRequest request(String sql) {
    String credentials =
        Base64.getEncoder().encodeToString((user + ":" + password).getBytes(UTF_8));
    return HttpRequest.newBuilder(httpUrl())
        .timeout(queryTimeout)
        .header("Authorization", "Basic " + credentials)
        .POST(HttpRequest.BodyPublishers.ofString(sql))
        .build();
  }

  private static boolean awaitExit(ProcessHandle handle, Duration timeout) {
    try {
      handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      throw new LocalClickHouseException("cannot wait for local ClickHouse to exit", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !handle.isAlive();
    }
  }

  private void released() {
    try {
      if (keepAlive != null) {
        keepAlive.close();
      }
    } catch (IOException e) {
      // the process is gone; its end of the pipe with it
    }
    process = null;
    keepAlive = null;
  }

  /**
   * users.xml defines {@link #user()} with a password: the JDBC driver sends {@code default:null}
   * for a user without one, which ClickHouse refuses.
   */
  private void writeConfig() throws IOException {
    Files.createDirectories(dataDir());
    Files.writeString(
        directory.resolve("config.xml"),
        """
        <clickhouse>
          <users_config>users.xml</users_config>
        </clickhouse>
        """);
    Files.writeString(
        directory.resolve("users.xml"),
        """
        <clickhouse>
          <profiles><default/></profiles>
          <quotas><default/></quotas>
          <users>
            <default>
              <password></password>
              <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
              <profile>default</profile>
              <quota>default</quota>
            </default>
            <%1$s>
              <password>%2$s</password>
              <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
              <profile>default</profile>
              <quota>default</quota>
              <access_management>1</access_management>
            </%1$s>
          </users>
        </clickhouse>
        """
            .formatted(user, password));
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Settings of a {@link LocalClickHouse}. */
  public static final class Builder {
    private final Path directory;
    private String user = "agentledger";
    private String password = "local-" + UUID.randomUUID();
    private int httpPort;
    private Duration startTimeout = Duration.ofSeconds(60);
    private Duration stopTimeout = Duration.ofSeconds(15);
    private Duration queryTimeout = Duration.ofSeconds(30);

    private Builder(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** The user tests connect as (default {@code agentledger}); not {@code default}. */
    public Builder user(String user) {
      if (user.equals("default") || !user.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException("user must be a plain name other than default: " + user);
      }
      this.user = user;
      return this;
    }

    /** Its password (default: random). */
    public Builder password(String password) {
      if (password.isEmpty() || !password.matches("[A-Za-z0-9_.-]+")) {
        throw new IllegalArgumentException("password must be [A-Za-z0-9_.-]+");
      }
      this.password = password;
      return this;
    }

    /** The HTTP port (default 0: a free one, chosen at the first start and kept after). */
    public Builder httpPort(int httpPort) {
      this.httpPort = httpPort;
      return this;
    }

    public Builder startTimeout(Duration startTimeout) {
      this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
      return this;
    }

    public Builder stopTimeout(Duration stopTimeout) {
      this.stopTimeout = Objects.requireNonNull(stopTimeout, "stopTimeout");
      return this;
    }

    /** How long {@link #query} waits for one statement (default 30 s; a bench's bulk copy more). */
    public Builder queryTimeout(Duration queryTimeout) {
      this.queryTimeout = Objects.requireNonNull(queryTimeout, "queryTimeout");
      return this;
    }

    public LocalClickHouse build() {
      return new LocalClickHouse(this);
    }

    /** Builds and starts it. */
    public LocalClickHouse start() {
      return build().start();
    }
  }
}
