package io.agentledger.api.ui;

import io.agentledger.api.http.Problem;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the chain explorer page: {@code GET /ui/} is {@code index.html}, {@code GET /ui/{file}}
 * one of the page's files, read from this package's resources. No authentication: the files hold no
 * data; the page asks for an API key and sends it on every API call.
 *
 * <p>The API's own policy ({@code default-src 'none'}) would block the page's scripts, so these
 * answers carry {@link #CONTENT_SECURITY_POLICY}: scripts, styles and API calls from this origin
 * only, no inline script, never framed.
 */
public final class ExplorerAssets {

  /** Where the page lives on the API port. */
  public static final String PATH = "/ui/";

  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private static final String RESOURCES = "/io/agentledger/api/ui/";

  /** Flat names only: no path traversal, nothing but the page's own kinds of files. */
  private static final Pattern FILE = Pattern.compile("[a-z0-9][a-z0-9-]*\\.(html|js|css|svg)");

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml");

  private final Map<String, Optional<byte[]>> cache = new ConcurrentHashMap<>();

  /** Registers {@code GET /ui/} and {@code GET /ui/{file}}. */
  public void install(JavalinConfig config) {
    config.routes.get(
        "/ui",
        ctx -> {
          // Relative module imports resolve against the directory: /ui must become /ui/.
          if (!ctx.path().endsWith("/")) {
            ctx.redirect(PATH);
            return;
          }
          serve(ctx, "index.html");
        });
    config.routes.get(PATH + "{file}", ctx -> serve(ctx, ctx.pathParam("file")));
  }

  private void serve(Context ctx, String name) {
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    byte[] body =
        FILE.matcher(name).matches()
            ? cache.computeIfAbsent(name, ExplorerAssets::read).orElse(null)
            : null;
    if (body == null) {
      throw Problem.notFound("no file " + PATH + name);
    }
    String extension = name.substring(name.lastIndexOf('.') + 1);
    ctx.contentType(TYPES.get(extension)).result(body);
  }

  private static Optional<byte[]> read(String name) {
    try (InputStream in = ExplorerAssets.class.getResourceAsStream(RESOURCES + name)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
