package io.agentledger.standalone;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./agentledger up} in a child JVM, as a user runs it, for tests that kill it or confine it
 * (a command prefix such as {@code nsenter ...} runs it inside another mount namespace).
 */
final class ChildStandalone implements AutoCloseable {

  private static final Pattern TRACES = Pattern.compile("OTLP/HTTP traces\\s+(\\S+)");
  private static final Pattern API = Pattern.compile("Query API\\s+(\\S+)/api/v1");
  private static final Pattern HEALTH = Pattern.compile("Health, metrics\\s+(\\S+)/health");

  final Process process;
  final List<String> output = new CopyOnWriteArrayList<>();
  private final CompletableFuture<URI> traces = new CompletableFuture<>();
  private final CompletableFuture<URI> api = new CompletableFuture<>();
  private final CompletableFuture<URI> operations = new CompletableFuture<>();
  private final Thread reader;

  ChildStandalone(List<String> prefix, Map<String, String> env) throws IOException {
    this(prefix, List.of("-Xmx512m"), "up", env);
  }

  /**
   * {@code agentledger <command>} ({@code up}, or a role: {@code collector}, {@code analyzer},
   * {@code api}) in a child JVM with these options.
   */
  ChildStandalone(
      List<String> prefix, List<String> jvmOptions, String role, Map<String, String> env)
      throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), role));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    process = pb.start();
    reader = new Thread(this::read, "child-standalone-output");
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        output.add(line);
        Matcher m = TRACES.matcher(line);
        if (m.find()) {
          traces.complete(URI.create(m.group(1)));
        }
        m = API.matcher(line);
        if (m.find()) {
          api.complete(URI.create(m.group(1)));
        }
        m = HEALTH.matcher(line);
        if (m.find()) {
          operations.complete(URI.create(m.group(1)));
        }
      }
    } catch (IOException e) {
      traces.completeExceptionally(e);
    }
    IllegalStateException exited =
        new IllegalStateException("standalone exited: " + String.join("\n", output));
    traces.completeExceptionally(exited);
    api.completeExceptionally(exited);
    operations.completeExceptionally(exited);
  }

  /** The OTLP endpoint, once it is up. */
  URI traces() throws Exception {
    return traces.get(180, TimeUnit.SECONDS);
  }

  /** {@code http://host:port} of the API, once it is up. */
  URI api() throws Exception {
    return api.get(180, TimeUnit.SECONDS);
  }

  /** {@code http://host:port} of {@code /health} and {@code /metrics} (every role), once up. */
  URI operations() throws Exception {
    return operations.get(180, TimeUnit.SECONDS);
  }

  /** SIGTERM, then waits for the exit (its shutdown hooks run). */
  void terminate() throws InterruptedException {
    // Through the handle: Process.destroy() would also close our end of the child's output.
    process.toHandle().destroy();
    process.waitFor(60, TimeUnit.SECONDS);
    reader.join(10_000);
  }

  /** SIGKILL: no shutdown hook, nothing flushed. */
  void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    process.waitFor(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
