package io.agentledger.core.http;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** What both HTTP ports do the same way: security headers and bounded metric labels. */
public final class HttpSafety {

  private HttpSafety() {}

  private static final Set<String> STANDARD_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT");

  /**
   * Headers on every response of both ports: no content sniffing, no caching of answers that carry
   * a tenant's data, no framing, no referrer, no active content in API answers.
   */
  public static final Map<String, String> SECURITY_HEADERS = securityHeaders();

  private static Map<String, String> securityHeaders() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("X-Content-Type-Options", "nosniff");
    h.put("Cache-Control", "no-store");
    h.put("X-Frame-Options", "DENY");
    h.put("Referrer-Policy", "no-referrer");
    h.put("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    return Map.copyOf(h);
  }

  /**
   * The method as a metric label: one of the standard methods, else {@code OTHER}, so a client
   * inventing methods cannot grow {@code /metrics}.
   */
  public static String methodLabel(String method) {
    if (method == null) {
      return "OTHER";
    }
    String m = method.toUpperCase(Locale.ROOT);
    return STANDARD_METHODS.contains(m) ? m : "OTHER";
  }

  /** The status as a metric label: a code from 100 to 599, else {@code other}. */
  public static String statusLabel(int status) {
    if (status >= 100 && status < 600) {
      return Integer.toString(status);
    }
    return "other";
  }
}
