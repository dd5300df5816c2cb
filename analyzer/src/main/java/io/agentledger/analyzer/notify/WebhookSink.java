package io.agentledger.analyzer.notify;

import io.agentledger.store.Notification;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A generic JSON webhook: {@code POST} of the notification ({@link Payloads#webhook}), signed.
 *
 * <p>Headers: {@value #DELIVERY} (the notification id: the same on every retry, so a receiver can
 * drop a repeat), {@value #TIMESTAMP} (epoch seconds of this attempt) and, when a secret is set,
 * {@value #SIGNATURE}: {@code sha256=} and the lowercase hex HMAC-SHA256, keyed by the secret's
 * UTF-8 bytes, of {@code timestamp + "." + body}. A receiver recomputes it over the raw body,
 * compares in constant time, and rejects old timestamps (replays).
 */
public final class WebhookSink implements NotificationSink {

  /** The notification id. */
  public static final String DELIVERY = "X-AgentLedger-Delivery";

  /** Epoch seconds when this attempt was signed. */
  public static final String TIMESTAMP = "X-AgentLedger-Timestamp";

  /** {@code sha256=<hex>}: HMAC-SHA256 of {@code timestamp + "." + body}. */
  public static final String SIGNATURE = "X-AgentLedger-Signature";

  private final URI url;
  private final String secret;
  private final HttpSender http;
  private final Clock clock;

  /**
   * @param secret the HMAC key; empty sends no signature
   */
  public WebhookSink(URI url, String secret, HttpSender http, Clock clock) {
    this.url = url;
    this.secret = secret;
    this.http = http;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "webhook";
  }

  @Override
  public String target() {
    return HttpSender.redact(url);
  }

  @Override
  public Result send(Notification n) {
    byte[] body = Payloads.webhook(n);
    String timestamp = Long.toString(clock.instant().getEpochSecond());
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(DELIVERY, n.id());
    headers.put(TIMESTAMP, timestamp);
    if (!secret.isEmpty()) {
      headers.put(SIGNATURE, "sha256=" + sign(secret, timestamp, body));
    }
    return http.post(url, body, headers);
  }

  /** The lowercase hex HMAC-SHA256 of {@code timestamp + "." + body}. */
  public static String sign(String secret, String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  @Override
  public java.time.Duration sendTimeout() {
    return http.timeout().multipliedBy(2); // connecting, then the request
  }
}
