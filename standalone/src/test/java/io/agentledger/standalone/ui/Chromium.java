package io.agentledger.standalone.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A headless Chromium driven over the Chrome DevTools protocol: started with {@code
 * --remote-debugging-port=0}, the DevTools address read from its stderr, one WebSocket to the
 * browser and flat sessions to its pages. Only what the page tests need: navigate, evaluate, click,
 * type, wait for a condition, read text, screenshot, and the page's uncaught errors.
 */
final class Chromium implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<String> pageErrors = Collections.synchronizedList(new ArrayList<>());

  private Chromium(Process process, URI devTools) throws Exception {
    this.process = process;
    this.socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .buildAsync(devTools, new Listener())
            .get(10, TimeUnit.SECONDS);
  }

  /**
   * The chromium binary: {@code AGENTLEDGER_CHROMIUM}, else {@code chromium} (Debian's package,
   * which {@code .ci/test-tools} installs), {@code chromium-browser} or {@code google-chrome} on
   * the PATH.
   */
  static Optional<Path> binary() {
    String configured = System.getenv("AGENTLEDGER_CHROMIUM");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured)).filter(Files::isExecutable);
    }
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    return Stream.of("chromium", "chromium-browser", "google-chrome")
        .flatMap(name -> Stream.of(path.split(File.pathSeparator)).map(dir -> Path.of(dir, name)))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** Starts a headless Chromium with a fresh profile in {@code profile}. */
  static Chromium launch(Path profile) throws Exception {
    Path binary =
        binary()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "chromium is missing: the chain explorer tests need a real headless"
                            + " Chromium. Install Debian's chromium (.ci/test-tools does it:"
                            + " apt-get install chromium) or set AGENTLEDGER_CHROMIUM to a"
                            + " Chromium/Chrome binary"));
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.add("--headless");
    command.add("--remote-debugging-port=0");
    command.add("--user-data-dir=" + profile);
    command.add("--no-first-run");
    command.add("--no-default-browser-check");
    command.add("--disable-extensions");
    command.add("--disable-background-networking");
    command.add("--disable-dev-shm-usage");
    command.add("--disable-gpu");
    command.add("--window-size=1400,1000");
    if ("root".equals(System.getProperty("user.name"))) {
      command.add("--no-sandbox"); // Chromium refuses to run as root with its sandbox
    }
    command.add("about:blank");
    Process process =
        new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    CompletableFuture<URI> address = new CompletableFuture<>();
    List<String> stderr = Collections.synchronizedList(new ArrayList<>());
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  if (stderr.size() < 200) {
                    stderr.add(line);
                  }
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    address.complete(URI.create(m.group(1)));
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
              address.completeExceptionally(
                  new IllegalStateException(
                      "chromium exited without a DevTools address; its stderr:\n"
                          + String.join("\n", stderr)));
            },
            "chromium-stderr");
    reader.setDaemon(true);
    reader.start();
    try {
      return new Chromium(process, address.get(30, TimeUnit.SECONDS));
    } catch (Exception e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /** A new tab, attached in a flat session, with a fixed viewport. */
  Page newPage(int width, int height) throws Exception {
    String target =
        send(null, "Target.createTarget", JSON.createObjectNode().put("url", "about:blank"))
            .path("targetId")
            .asText();
    String session =
        send(
                null,
                "Target.attachToTarget",
                JSON.createObjectNode().put("targetId", target).put("flatten", true))
            .path("sessionId")
            .asText();
    Page page = new Page(target, session);
    page.call("Page.enable");
    page.call("Runtime.enable");
    page.call(
        "Emulation.setDeviceMetricsOverride",
        JSON.createObjectNode()
            .put("width", width)
            .put("height", height)
            .put("deviceScaleFactor", 1)
            .put("mobile", false));
    return page;
  }

  /** Uncaught exceptions and console errors of every page so far. */
  List<String> pageErrors() {
    return List.copyOf(pageErrors);
  }

  JsonNode send(String session, String method, ObjectNode params) throws Exception {
    int id = ids.incrementAndGet();
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    message.set("params", params);
    if (session != null) {
      message.put("sessionId", session);
    }
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    socket.sendText(JSON.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
    JsonNode answer = reply.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (answer.has("error")) {
      throw new IllegalStateException(method + " failed: " + answer.get("error"));
    }
    return answer.path("result");
  }

  private void onMessage(JsonNode message) {
    if (message.has("id")) {
      CompletableFuture<JsonNode> reply = pending.remove(message.get("id").asInt());
      if (reply != null) {
        reply.complete(message);
      }
      return;
    }
    String method = message.path("method").asText();
    JsonNode params = message.path("params");
    if (method.equals("Runtime.exceptionThrown")) {
      JsonNode details = params.path("exceptionDetails");
      pageErrors.add(
          "uncaught: "
              + details
                  .path("exception")
                  .path("description")
                  .asText(details.path("text").asText()));
    } else if (method.equals("Runtime.consoleAPICalled")
        && params.path("type").asText().equals("error")) {
      pageErrors.add("console.error: " + params.path("args"));
    }
  }

  @Override
  public void close() {
    try {
      send(null, "Browser.close", JSON.createObjectNode());
    } catch (Exception e) {
      // it may be gone already; the process is ended below either way
    }
    socket.abort();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** Collects a message's fragments; screenshots arrive in many. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        try {
          onMessage(JSON.readTree(text.toString()));
        } catch (IOException e) {
          pageErrors.add("unreadable DevTools message: " + e);
        }
        text.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      pending.values().forEach(f -> f.completeExceptionally(error));
    }
  }

  /** One tab. */
  final class Page {
    private final String target;
    private final String session;

    private Page(String target, String session) {
      this.target = target;
      this.session = session;
    }

    /** Closes the tab. */
    void close() throws Exception {
      send(null, "Target.closeTarget", JSON.createObjectNode().put("targetId", target));
    }

    JsonNode call(String method) throws Exception {
      return call(method, JSON.createObjectNode());
    }

    JsonNode call(String method, ObjectNode params) throws Exception {
      return send(session, method, params);
    }

    /** Runs {@code script} before any of each document's own scripts. */
    void onNewDocument(String script) throws Exception {
      call("Page.addScriptToEvaluateOnNewDocument", JSON.createObjectNode().put("source", script));
    }

    void navigate(String url) throws Exception {
      JsonNode r = call("Page.navigate", JSON.createObjectNode().put("url", url));
      if (r.hasNonNull("errorText")) {
        throw new IllegalStateException("navigation to " + url + " failed: " + r.get("errorText"));
      }
    }

    /** The value of a JavaScript expression (awaited if it is a promise), as JSON. */
    JsonNode eval(String expression) throws Exception {
      JsonNode r =
          call(
              "Runtime.evaluate",
              JSON.createObjectNode()
                  .put("expression", expression)
                  .put("returnByValue", true)
                  .put("awaitPromise", true));
      if (r.has("exceptionDetails")) {
        throw new IllegalStateException(
            "script failed: "
                + expression
                + "\n"
                + r.path("exceptionDetails").path("exception").path("description").asText());
      }
      return r.path("result").path("value");
    }

    /** Waits, up to {@link #DEADLINE}, until the JavaScript {@code condition} is true. */
    void awaitTrue(String condition) {
      Callable<Boolean> check = () -> eval("Boolean(" + condition + ")").asBoolean();
      await()
          .atMost(DEADLINE)
          .pollInterval(Duration.ofMillis(50))
          .alias(condition + " (page: " + state() + ")")
          .until(check);
    }

    /** Where the page is and what it shows, for a failed wait's message. */
    private String state() {
      try {
        return eval("location.hash + ' · ' + document.getElementById('view')?.dataset.state + ' · '"
                + " + (document.getElementById('view') ?? document.body)?.innerText.slice(0,"
                + " 300)")
            .asText();
      } catch (Exception e) {
        return e.toString();
      }
    }

    /** The text of the first element matching {@code selector}, which must exist. */
    String text(String selector) throws Exception {
      JsonNode t =
          eval(
              "document.querySelector("
                  + JSON.writeValueAsString(selector)
                  + ")?.textContent ?? null");
      assertThat(t.isTextual()).as("an element " + selector).isTrue();
      return t.asText();
    }

    /** Opens every closed node of the span tree (children are built when first opened). */
    void expandAll() throws Exception {
      for (int round = 0; round < 20; round++) {
        int opened =
            eval("(() => { const closed = [...document.querySelectorAll("
                    + "'.span-row[aria-expanded=\"false\"]')].filter(r => r.dataset.children"
                    + " > 0); closed.forEach(r => r.querySelector('.toggle').click());"
                    + " return closed.length; })()")
                .asInt();
        if (opened == 0) {
          return;
        }
      }
    }

    /** A real mouse click at the centre of the first element matching {@code selector}. */
    void click(String selector) throws Exception {
      JsonNode box =
          eval(
              "(() => { const e = document.querySelector("
                  + JSON.writeValueAsString(selector)
                  + "); if (!e) return null; e.scrollIntoView({block: 'center'});"
                  + " const r = e.getBoundingClientRect();"
                  + " return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()");
      if (box.isNull() || box.isMissingNode()) {
        throw new IllegalStateException("nothing to click: " + selector);
      }
      for (String type : List.of("mousePressed", "mouseReleased")) {
        call(
            "Input.dispatchMouseEvent",
            JSON.createObjectNode()
                .put("type", type)
                .put("x", box.get("x").asDouble())
                .put("y", box.get("y").asDouble())
                .put("button", "left")
                .put("clickCount", 1));
      }
    }

    /** Focuses the field and types {@code text} into it as keyboard input. */
    void type(String selector, String text) throws Exception {
      eval(
          "(() => { const e = document.querySelector("
              + JSON.writeValueAsString(selector)
              + "); e.focus(); e.value = ''; })()");
      call("Input.insertText", JSON.createObjectNode().put("text", text));
    }

    /** Presses Enter in the focused element (submits its form). */
    void pressEnter() throws Exception {
      for (String type : List.of("keyDown", "keyUp")) {
        call(
            "Input.dispatchKeyEvent",
            JSON.createObjectNode()
                .put("type", type)
                .put("key", "Enter")
                .put("code", "Enter")
                .put("windowsVirtualKeyCode", 13)
                .put("text", type.equals("keyDown") ? "\r" : ""));
      }
    }

    /** The whole page (up to 8,000 px tall) as a PNG. */
    void screenshot(Path file) throws Exception {
      screenshot(file, 8_000);
    }

    /** The page's top {@code maxHeight} CSS pixels as a PNG. */
    void screenshot(Path file, int maxHeight) throws Exception {
      JsonNode size = call("Page.getLayoutMetrics").path("cssContentSize");
      capture(
          file,
          0,
          0,
          Math.ceil(size.path("width").asDouble()),
          Math.min(maxHeight, Math.ceil(size.path("height").asDouble())));
    }

    /** The first element matching {@code selector} as a PNG. */
    void screenshotOf(String selector, Path file) throws Exception {
      JsonNode box =
          eval(
              "(() => { const r = document.querySelector("
                  + JSON.writeValueAsString(selector)
                  + ").getBoundingClientRect(); return {x: r.x + scrollX, y: r.y + scrollY,"
                  + " width: r.width, height: r.height}; })()");
      capture(
          file,
          box.get("x").asDouble(),
          box.get("y").asDouble(),
          Math.ceil(box.get("width").asDouble()),
          Math.ceil(box.get("height").asDouble()));
    }

    private void capture(Path file, double x, double y, double width, double height)
        throws Exception {
      ObjectNode clip =
          JSON.createObjectNode()
              .put("x", x)
              .put("y", y)
              .put("width", width)
              .put("height", height)
              .put("scale", 1);
      ObjectNode params =
          JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
      params.set("clip", clip);
      byte[] png =
          java.util.Base64.getDecoder()
              .decode(call("Page.captureScreenshot", params).path("data").asText());
      Files.createDirectories(file.getParent());
      Files.write(file, png);
    }
  }
}
