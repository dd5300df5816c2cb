package io.agentledger.collector.otlp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedOutputStream;
import io.agentledger.collector.Backlog;
import io.agentledger.collector.CollectorConfig;
import io.agentledger.collector.CollectorMetrics;
import io.agentledger.core.auth.ApiKeys;
import io.agentledger.core.http.HttpSafety;
import io.agentledger.core.limits.ByteBudget;
import io.agentledger.core.limits.TenantLimiter;
import io.agentledger.core.log.ThrottledLog;
import io.agentledger.core.otlp.HexIds;
import io.agentledger.core.otlp.OtlpDecodeException;
import io.agentledger.core.otlp.OtlpFormat;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import java.util.zip.ZipException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OTLP/HTTP receiver: {@code POST /v1/traces}, {@code /v1/logs} and {@code /v1/metrics},
 * protobuf or JSON, optionally gzip. Every signal takes the same path through auth, limits and
 * Kafka; what each keeps is {@link OtlpSignal}'s (logs that describe model calls become spans).
 *
 * <p>A request is answered 200 only after Kafka has acknowledged every record made from it. Spans
 * that are individually invalid are dropped and reported as an OTLP partial success. When Kafka or
 * the store falls behind beyond the configured bounds the answer is 429 or 503 with {@code
 * Retry-After}, which OTLP exporters honour, so memory stays bounded. Errors carry a {@code
 * google.rpc.Status} for protobuf requests and an RFC 7807 problem (with the same {@code code} and
 * {@code message}) otherwise. The statuses are listed in {@code docs/ingestion.md}.
 *
 * <p>Memory and threads are bounded before a body is read: each project has its own concurrency and
 * rate limits, bodies are read a bounded number at a time, within a deadline and above a minimum
 * rate, and every byte held (as sent and inflated) is reserved from one shared budget first ({@code
 * docs/security.md}).
 */
public final class OtlpReceiver implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OtlpReceiver.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final String PATH = OtlpSignal.TRACES.path();
  public static final String LOGS_PATH = OtlpSignal.LOGS.path();
  public static final String METRICS_PATH = OtlpSignal.METRICS.path();

  private final ApiKeys keys;
  private final SpanPublisher publisher;
  private final CollectorConfig config;
  private final CollectorMetrics metrics;
  private final Supplier<Backlog> backlog;
  private final BodyReader bodies;
  private final ByteBudget budget;
  private final long projectBudget;
  private final Map<String, ByteBudget> projectBudgets = new ConcurrentHashMap<>();
  private final Semaphore bodyReads;
  private final TenantLimiter tenants;
  private final ThrottledLog warnings;
  private final Javalin app;

  /**
   * @param backlog the work the consumers have not done yet (the store's back-pressure)
   */
  public OtlpReceiver(
      ApiKeys keys,
      SpanPublisher publisher,
      CollectorConfig config,
      CollectorMetrics metrics,
      Supplier<Backlog> backlog) {
    this(keys, publisher, config, ReceiverLimits.defaults(), metrics, backlog);
  }

  /**
   * @param limits limits on clients: concurrency, rates, body deadlines
   * @param backlog the work the consumers have not done yet (the store's back-pressure)
   */
  public OtlpReceiver(
      ApiKeys keys,
      SpanPublisher publisher,
      CollectorConfig config,
      ReceiverLimits limits,
      CollectorMetrics metrics,
      Supplier<Backlog> backlog) {
    this.keys = keys;
    this.publisher = publisher;
    this.config = config;
    this.metrics = metrics;
    this.backlog = backlog;
    this.bodies =
        new BodyReader(
            config.maxBodyBytes(), config.maxDecompressedBytes(), limits, System::nanoTime);
    this.budget = new ByteBudget(config.maxInFlightBytes());
    this.projectBudget =
        Math.max(1, config.maxInFlightBytes() / 100 * limits.projectInFlightPercent());
    metrics.inFlightBytes(budget::reserved, budget::peak);
    this.bodyReads = new Semaphore(limits.maxConcurrentBodyReads());
    this.tenants = new TenantLimiter(limits.perProject(), System::nanoTime);
    this.warnings = new ThrottledLog(LOG, limits.warningInterval());
    this.app =
        Javalin.create(
            c -> {
              c.startup.showJavalinBanner = false;
              c.http.prefer405over404 = true;
              c.jetty.modifyHttpConfiguration(
                  h -> h.setIdleTimeout(limits.idleTimeout().toMillis()));
              c.routes.before(ctx -> HttpSafety.SECURITY_HEADERS.forEach(ctx::header));
              for (OtlpSignal signal : OtlpSignal.values()) {
                c.routes.post(signal.path(), ctx -> export(ctx, signal));
              }
              c.routes.error(
                  405,
                  "*",
                  ctx -> {
                    ctx.header("Allow", "POST");
                    fail(ctx, false, 405, "Method Not Allowed", "only POST is allowed here");
                  });
              c.routes.error(
                  404,
                  "*",
                  ctx ->
                      fail(
                          ctx,
                          false,
                          404,
                          "Not Found",
                          "OTLP is posted to " + PATH + ", " + LOGS_PATH + " or " + METRICS_PATH));
            });
  }

  public OtlpReceiver start(String host, int port) {
    app.start(host, port);
    return this;
  }

  public int port() {
    return app.port();
  }

  /** Stops taking requests; requests in flight finish first. */
  @Override
  public void close() {
    app.stop();
  }

  private void export(Context ctx, OtlpSignal signal) {
    Optional<OtlpFormat> format = OtlpFormat.fromContentType(ctx.header("Content-Type"));
    boolean protobufReply = format.orElse(OtlpFormat.JSON) == OtlpFormat.PROTOBUF;
    Optional<String> project = keys.projectForAuthorization(ctx.header("Authorization"));
    if (project.isEmpty()) {
      ctx.header("WWW-Authenticate", "Bearer");
      fail(
          ctx,
          protobufReply,
          401,
          "Unauthorized",
          "a valid API key is required (Authorization: Bearer <key>)");
      return;
    }
    if (format.isEmpty()) {
      fail(
          ctx,
          false,
          415,
          "Unsupported Media Type",
          "Content-Type must be application/x-protobuf or application/json, got '"
              + Optional.ofNullable(ctx.header("Content-Type")).orElse("")
              + "'");
      return;
    }
    String encoding = ctx.header("Content-Encoding");
    if (!BodyReader.supports(encoding)) {
      fail(
          ctx,
          protobufReply,
          415,
          "Unsupported Media Type",
          "Content-Encoding must be gzip or identity, got '" + encoding + "'");
      return;
    }
    long declared = ctx.req().getContentLengthLong();
    if (declared > config.maxBodyBytes()) {
      fail(
          ctx,
          protobufReply,
          413,
          "Content Too Large",
          "request body of " + declared + " bytes exceeds " + config.maxBodyBytes());
      return;
    }
    if (storeBehind(ctx, protobufReply)) {
      return;
    }
    TenantLimiter.Admission admission = tenants.admit(project.get());
    TenantLimiter.Refusal refusal = admission.refusal();
    if (refusal != null) { // not admitted
      warnings.warn(
          "project_limit", "answering 429 to project " + project.get() + ": " + refusal.reason());
      ctx.header("Retry-After", Long.toString(refusal.retryAfter().toSeconds()));
      fail(ctx, protobufReply, 429, "Too Many Requests", refusal.reason() + "; retry later");
      return;
    }
    try (TenantLimiter.Permit permit = admission.permit()) {
      exportAdmitted(ctx, signal, protobufReply, format.get(), project.get(), encoding, declared);
    }
  }

  /**
   * Admission control: beyond {@code maxLagSpans} of backlog the request is answered 429, with a
   * {@code Retry-After} of the time the consumers need to work the backlog off, so clients back off
   * instead of the backlog (and the delay before spans are queryable) growing.
   */
  private boolean storeBehind(Context ctx, boolean protobufReply) {
    Backlog now = backlog.get();
    if (now.spans() <= config.maxLagSpans()) {
      return false;
    }
    ctx.header("Retry-After", Long.toString(now.retryAfter().toSeconds()));
    warnings.warn("store_behind", "answering 429: the consumers are behind");
    fail(
        ctx,
        protobufReply,
        429,
        "Too Many Requests",
        "the store is behind by more than " + config.maxLagSpans() + " spans; retry later");
    return true;
  }

  /** Reads, decodes and publishes a request that passed every check that needs no body. */
  private void exportAdmitted(
      Context ctx,
      OtlpSignal signal,
      boolean protobufReply,
      OtlpFormat format,
      String project,
      String encoding,
      long declared) {
    ByteBudget share =
        projectBudgets.computeIfAbsent(project, p -> new ByteBudget(projectBudget, budget));
    long initial = declared > 0 ? declared : Math.min(64 * 1024, config.maxBodyBytes());
    if (initial > share.ceiling()) {
      fail(
          ctx,
          protobufReply,
          413,
          "Content Too Large",
          "request body of "
              + declared
              + " bytes exceeds the "
              + share.ceiling()
              + " bytes one request may hold");
      return;
    }
    ByteBudget.Reservation reservation = share.tryReserve(initial);
    if (reservation == null) {
      overBudget(ctx, protobufReply);
      return;
    }
    try (reservation) {
      Optional<byte[]> body = readBody(ctx, protobufReply, encoding, reservation);
      if (body.isEmpty()) {
        return;
      }
      ExportTraceServiceRequest request;
      try {
        request = signal.decode(body.get(), format, metrics);
      } catch (OtlpDecodeException e) {
        warnings.warn("undecodable_body", "answering 400: " + e.getMessage());
        fail(ctx, protobufReply, 400, "Bad Request", e.getMessage());
        return;
      }
      TraceSplitter.Split split = TraceSplitter.split(request);
      metrics.received(split.validSpans() + split.rejectedSpans());
      if (split.rejectedSpans() > 0) {
        metrics.rejected("invalid_span", split.rejectedSpans());
      }
      if (!split.byTrace().isEmpty()
          && !publish(ctx, protobufReply, project, split, body.get().length, reservation)) {
        return;
      }
      metrics.accepted(split.validSpans());
      succeed(ctx, signal, protobufReply, split);
    }
  }

  /** The body, or empty once the failure has been answered. */
  private Optional<byte[]> readBody(
      Context ctx, boolean protobufReply, String encoding, ByteBudget.Reservation reservation) {
    if (!bodyReads.tryAcquire()) {
      warnings.warn("body_reads", "answering 503: too many request bodies being read at once");
      ctx.header("Retry-After", "1");
      fail(
          ctx,
          protobufReply,
          503,
          "Service Unavailable",
          "too many request bodies are being read at once; retry later");
      return Optional.empty();
    }
    try {
      return Optional.of(bodies.read(ctx.req().getInputStream(), encoding, reservation));
    } catch (RequestTooLargeException e) {
      warnings.warn("body_too_large", "answering 413: " + e.getMessage());
      fail(ctx, protobufReply, 413, "Content Too Large", e.getMessage());
    } catch (BodyReader.BudgetExhaustedException e) {
      overBudget(ctx, protobufReply);
    } catch (BodyReader.BodyTooSlowException e) {
      warnings.warn("body_too_slow", "answering 408: " + e.getMessage());
      ctx.header("Connection", "close");
      fail(ctx, protobufReply, 408, "Request Timeout", e.getMessage());
    } catch (ZipException e) {
      warnings.warn("bad_gzip", "answering 400: " + e.getMessage());
      fail(ctx, protobufReply, 400, "Bad Request", "body is not valid gzip: " + e.getMessage());
    } catch (IOException e) {
      warnings.warn("unreadable_body", "answering 400: " + e);
      fail(ctx, protobufReply, 400, "Bad Request", "could not read the body: " + e.getMessage());
    } finally {
      bodyReads.release();
    }
    return Optional.empty();
  }

  private void overBudget(Context ctx, boolean protobufReply) {
    warnings.warn("byte_budget", "answering 429: the in-flight byte budget is exhausted");
    ctx.header("Retry-After", "1");
    fail(
        ctx,
        protobufReply,
        429,
        "Too Many Requests",
        "the receiver is holding as many request bytes as it may; retry later");
  }

  private boolean publish(
      Context ctx,
      boolean protobufReply,
      String project,
      TraceSplitter.Split split,
      long bytes,
      ByteBudget.Reservation reservation) {
    // The records made for Kafka are one more copy of the body.
    if (reservation.held() + bytes > reservation.ceiling()) {
      metrics.rejected("too_large", split.validSpans());
      fail(
          ctx,
          protobufReply,
          413,
          "Content Too Large",
          "the request needs more than the "
              + reservation.ceiling()
              + " bytes one request may hold");
      return false;
    }
    if (!reservation.growTo(reservation.held() + bytes)) {
      metrics.rejected("backpressure", split.validSpans());
      warnings.warn("byte_budget", "answering 429: too many spans are waiting for Kafka");
      ctx.header("Retry-After", "1");
      fail(
          ctx,
          protobufReply,
          429,
          "Too Many Requests",
          "too many spans are waiting for Kafka; retry later");
      return false;
    }
    try {
      Map<String, byte[]> records = new LinkedHashMap<>();
      split.byTrace().forEach((trace, req) -> records.put(HexIds.toHex(trace), req.toByteArray()));
      Timer.Sample sample = Timer.start();
      publisher.publish(project, records, config.ackTimeout());
      sample.stop(metrics.produceLatency());
      return true;
    } catch (SpanPublisher.PublishException e) {
      warnings.warn("kafka", "answering 503: " + e.getMessage());
      metrics.rejected("kafka", split.validSpans());
      ctx.header("Retry-After", "5");
      fail(
          ctx,
          protobufReply,
          503,
          "Service Unavailable",
          "spans could not be made durable: " + e.getMessage());
      return false;
    }
  }

  private void succeed(
      Context ctx, OtlpSignal signal, boolean protobuf, TraceSplitter.Split split) {
    metrics.response(200);
    String message = String.join("; ", split.errors());
    ctx.status(200)
        .contentType(protobuf ? OtlpFormat.PROTOBUF.contentType() : "application/json")
        .result(signal.success(protobuf, split.rejectedSpans(), message));
  }

  private void fail(
      Context ctx, boolean protobuf, int status, String title, @Nullable String detail) {
    metrics.response(status);
    ctx.status(status);
    if (protobuf) {
      ctx.contentType(OtlpFormat.PROTOBUF.contentType())
          .result(rpcStatus(grpcCode(status), detail));
      return;
    }
    ObjectNode problem = JSON.createObjectNode();
    problem.put("type", "about:blank");
    problem.put("title", title);
    problem.put("status", status);
    problem.put("detail", detail);
    problem.put("code", grpcCode(status));
    problem.put("message", detail);
    ctx.contentType("application/problem+json").result(problem.toString());
  }

  /** The gRPC code OTLP/HTTP maps each status to (used in {@code google.rpc.Status}). */
  private static int grpcCode(int httpStatus) {
    return switch (httpStatus) {
      case 400 -> 3; // INVALID_ARGUMENT
      case 401 -> 16; // UNAUTHENTICATED
      case 404, 405 -> 12; // UNIMPLEMENTED
      case 408 -> 4; // DEADLINE_EXCEEDED
      case 413 -> 8; // RESOURCE_EXHAUSTED
      case 415 -> 3;
      case 429 -> 8;
      case 503 -> 14; // UNAVAILABLE
      default -> 2; // UNKNOWN
    };
  }

  /** A {@code google.rpc.Status} message: field 1 code, field 2 message. */
  private static byte[] rpcStatus(int code, @Nullable String message) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.writeInt32(1, code);
      out.writeString(2, message == null ? "" : message);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
