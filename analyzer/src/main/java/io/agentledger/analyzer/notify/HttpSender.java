package io.agentledger.analyzer.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** Posts JSON and classifies the answer: 2xx delivered; 408, 429, 5xx and I/O errors retried. */
public final class HttpSender {

  private final HttpClient client;
  private final Duration timeout;

  /**
   * @param timeout for connecting and for each request
   */
  public HttpSender(Duration timeout) {
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** The timeout for connecting and for each request. */
  public Duration timeout() {
    return timeout;
  }

  NotificationSink.Result post(URI uri, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("User-Agent", "AgentLedger")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    try {
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        return NotificationSink.Result.delivered();
      }
      String error = "HTTP " + status + ": " + abbreviate(response.body());
      return status == 408 || status == 429 || status >= 500
          ? NotificationSink.Result.retry(error)
          : NotificationSink.Result.refused(error);
    } catch (IOException e) {
      return NotificationSink.Result.retry(e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return NotificationSink.Result.retry("interrupted");
    }
  }

  private static String abbreviate(String s) {
    String oneLine = s.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "…";
  }

  /** {@code scheme://host:port}: where a URL points, without the path, query or user info. */
  static String redact(URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
  }
}
