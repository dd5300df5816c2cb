package io.agentledger.bench.report;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * The latency of requests to a server: some requests to warm it up, then the measured ones. Only
 * the exchange is timed; a response that is not 200 ends the benchmark, since its time would be
 * that of an error page.
 */
public final class RequestTiming {

  /** Sends one request and reads its response. */
  public interface Exchange<T> {
    HttpResponse<T> send() throws IOException, InterruptedException;
  }

  /** Looks at a 200 response after its time was taken (sizes, counts, heap). */
  public interface Seen<T> {
    void accept(HttpResponse<T> response, boolean measured) throws Exception;
  }

  private RequestTiming() {}

  public static <T> Latencies measure(int warmup, int measured, Exchange<T> exchange)
      throws Exception {
    return measure(warmup, measured, exchange, (response, counted) -> {});
  }

  public static <T> Latencies measure(int warmup, int measured, Exchange<T> exchange, Seen<T> seen)
      throws Exception {
    Latencies latencies = new Latencies();
    for (int i = 0; i < warmup + measured; i++) {
      long start = System.nanoTime();
      HttpResponse<T> response = exchange.send();
      long took = System.nanoTime() - start;
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            response.uri() + " answered " + response.statusCode() + ": " + text(response.body()));
      }
      boolean counted = i >= warmup;
      seen.accept(response, counted);
      if (counted) {
        latencies.add(took);
      }
    }
    return latencies;
  }

  private static String text(Object body) {
    return body instanceof byte[] bytes
        ? new String(bytes, StandardCharsets.UTF_8)
        : String.valueOf(body);
  }
}
