package io.agentledger.bench.workload;

import com.google.protobuf.ByteString;
import io.agentledger.bench.workload.WorkloadSpec.Convention;
import io.agentledger.bench.workload.WorkloadSpec.Model;
import io.agentledger.core.otlp.HexIds;
import io.agentledger.core.pricing.CostCalculator;
import io.agentledger.core.pricing.CostRequest;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.core.pricing.ServiceTier;
import io.agentledger.core.span.Cost;
import io.agentledger.core.span.Usage;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Generates realistic multi-agent chains as OTLP spans, reproducibly from a seed, and knows what
 * each chain cost: every model call is priced with the bundled catalog from the usage the generator
 * chose, once, whatever convention it is written in.
 *
 * <p>Spans carry about 20 attributes, as real instrumentations write them: request parameters,
 * response ids and finish reasons, server address, session and user, and with content capture the
 * prompts and completions.
 */
public final class WorkloadGenerator {

  private static final String PROJECT = "bench";
  private static final String[] TOOLS = {"web_search", "lookup_order", "read_file", "run_sql"};

  private final WorkloadSpec spec;
  private final SplittableRandom random;
  private final CostCalculator prices = new CostCalculator(PriceCatalog.bundled());

  public WorkloadGenerator(WorkloadSpec spec, long seed) {
    this.spec = spec;
    this.random = new SplittableRandom(seed);
  }

  /** The next chain, starting at {@code startEpochNanos}. */
  public GeneratedChain next(long startEpochNanos) {
    ChainBuilder chain = new ChainBuilder(randomId(16), startEpochNanos);
    chain.agent(null, 1, startEpochNanos);
    return new GeneratedChain(HexIds.toHex(chain.traceId), chain.spans, chain.cost, chain.llmCalls);
  }

  /** One export request holding the chains, as an SDK's batch exporter would send them. */
  public static ExportTraceServiceRequest request(String service, List<GeneratedChain> chains) {
    ScopeSpans.Builder scope =
        ScopeSpans.newBuilder()
            .setScope(
                InstrumentationScope.newBuilder().setName("agentledger-bench").setVersion("1"));
    for (GeneratedChain c : chains) {
      scope.addAllSpans(c.spans());
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(str("service.name", service))
                        .addAttributes(str("service.version", "2.3.1"))
                        .addAttributes(str("deployment.environment.name", "bench"))
                        .addAttributes(str("telemetry.sdk.language", "java"))
                        .addAttributes(str("telemetry.sdk.name", "opentelemetry")))
                .addScopeSpans(scope))
        .build();
  }

  private ByteString randomId(int bytes) {
    byte[] b = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      b[i] = (byte) random.nextInt(256);
    }
    b[0] |= 1; // never all zero
    return ByteString.copyFrom(b);
  }

  /** Builds one chain depth-first. */
  private final class ChainBuilder {
    final ByteString traceId;
    final String session;
    final String user;
    final List<Span> spans = new ArrayList<>();
    BigDecimal cost = BigDecimal.ZERO;
    int llmCalls;

    ChainBuilder(ByteString traceId, long start) {
      this.traceId = traceId;
      this.session = "sess-" + Long.toHexString(random.nextLong(1L << 40));
      this.user = "user-" + random.nextInt(5_000);
    }

    /** An agent at {@code level} and everything below it; returns when it ended. */
    long agent(@Nullable ByteString parent, int level, long start) {
      ByteString id = randomId(8);
      String agent = spec.agents().get(random.nextInt(spec.agents().size()));
      int at = spans.size();
      spans.add(null); // the agent's span is finished last, when its end is known
      long t = start + 1_000_000;
      for (int i = 0; i < spec.toolLoops(); i++) {
        t = modelCall(id, t) + 500_000;
        t = toolCall(id, t) + 500_000;
      }
      if (level < spec.depth()) {
        for (int i = 0; i < spec.fanOut(); i++) {
          t = agent(id, level + 1, t) + 500_000;
        }
      }
      Span.Builder s =
          span(id, parent, "invoke_agent " + agent, start, t)
              .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
              .addAttributes(str("gen_ai.operation.name", "invoke_agent"))
              .addAttributes(str("gen_ai.agent.name", agent))
              .addAttributes(str("gen_ai.agent.id", "agt_" + agent))
              .addAttributes(str("gen_ai.agent.version", "1." + (level - 1)))
              .addAttributes(str("gen_ai.conversation.id", session))
              .addAttributes(str("user.id", user))
              .addAttributes(str("gen_ai.agent.description", "The " + agent + " of the crew"));
      spans.set(at, s.build());
      return t;
    }

    long toolCall(ByteString parent, long start) {
      String tool = TOOLS[random.nextInt(TOOLS.length)];
      long end = start + 2_000_000 + random.nextInt(40_000_000);
      Span.Builder s =
          span(randomId(8), parent, "execute_tool " + tool, start, end)
              .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
              .addAttributes(str("gen_ai.operation.name", "execute_tool"))
              .addAttributes(str("gen_ai.tool.name", tool))
              .addAttributes(
                  str("gen_ai.tool.call.id", "call_" + Long.toHexString(random.nextLong())))
              .addAttributes(str("gen_ai.tool.type", "function"))
              .addAttributes(str("gen_ai.conversation.id", session));
      if (spec.captureContent()) {
        s.addAttributes(str("gen_ai.tool.call.arguments", "{\"query\":\"" + filler(80) + "\"}"))
            .addAttributes(str("gen_ai.tool.call.result", "{\"result\":\"" + filler(400) + "\"}"));
      }
      spans.add(s.build());
      return end;
    }

    long modelCall(ByteString parent, long start) {
      Model m = spec.models().get(random.nextInt(spec.models().size()));
      Convention convention = spec.conventions().get(random.nextInt(spec.conventions().size()));
      long uncached = 200 + random.nextInt(3_000);
      long cacheRead = random.nextInt(4) == 0 ? 0 : 500 + random.nextInt(6_000);
      if (!supportsCacheDetail(convention)) {
        cacheRead = 0;
      }
      long output = 50 + random.nextInt(800);
      long end = start + 200_000_000 + random.nextInt(1_500_000_000);
      Usage usage = new Usage(true, uncached + cacheRead, output, cacheRead, 0, 0, 0);
      Cost priced =
          prices.cost(
              new CostRequest(
                  PROJECT,
                  true,
                  m.provider(),
                  m.model(),
                  usage,
                  false,
                  null,
                  start,
                  ServiceTier.STANDARD));
      if (priced.amountUsd() == null) {
        throw new IllegalStateException("the bundled catalog does not price " + m);
      }
      cost = cost.add(priced.amountUsd());
      llmCalls++;
      // As the GenAI conventions ask, input counts cached tokens too (for Anthropic as well: the
      // instrumentations add the cache to the API's cache-exclusive number).
      long reportedInput = uncached + cacheRead;
      switch (convention) {
        case OTEL_GENAI ->
            spans.add(otelChat(parent, m, start, end, reportedInput, cacheRead, output).build());
        case OPENINFERENCE ->
            spans.add(
                openInference(parent, m, start, end, reportedInput, cacheRead, output).build());
        case VERCEL_AI -> {
          // The outer ai.generateText span repeats the call's usage: a roll-up, not a second call.
          ByteString outer = randomId(8);
          spans.add(
              vercel(outer, parent, "ai.generateText", m, start, end, reportedInput, output)
                  .build());
          spans.add(
              vercel(
                      randomId(8),
                      outer,
                      "ai.generateText.doGenerate",
                      m,
                      start + 1_000_000,
                      end - 1_000_000,
                      reportedInput,
                      output)
                  .build());
        }
      }
      return end;
    }

    private boolean supportsCacheDetail(Convention c) {
      return c != Convention.VERCEL_AI; // the legacy ai.usage.* keys have no cache counter
    }

    Span.Builder otelChat(
        ByteString parent, Model m, long start, long end, long input, long cacheRead, long output) {
      Span.Builder s =
          span(randomId(8), parent, "chat " + m.model(), start, end)
              .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
              .addAttributes(str("gen_ai.operation.name", "chat"))
              .addAttributes(str("gen_ai.provider.name", m.provider()))
              .addAttributes(str("gen_ai.request.model", m.model()))
              .addAttributes(str("gen_ai.response.model", m.model()))
              .addAttributes(
                  str("gen_ai.response.id", "resp_" + Long.toHexString(random.nextLong())))
              .addAttributes(strings("gen_ai.response.finish_reasons", "stop"))
              .addAttributes(integer("gen_ai.usage.input_tokens", input))
              .addAttributes(integer("gen_ai.usage.output_tokens", output))
              .addAttributes(dbl("gen_ai.request.temperature", 0.2))
              .addAttributes(dbl("gen_ai.request.top_p", 1.0))
              .addAttributes(integer("gen_ai.request.max_tokens", 4096))
              .addAttributes(str("gen_ai.output.type", "text"))
              .addAttributes(str("server.address", host(m)))
              .addAttributes(integer("server.port", 443))
              .addAttributes(str("gen_ai.conversation.id", session))
              .addAttributes(str("user.id", user));
      if (cacheRead > 0) {
        s.addAttributes(integer("gen_ai.usage.cache_read.input_tokens", cacheRead));
      }
      if (spec.captureContent()) {
        s.addAttributes(
                str(
                    "gen_ai.input.messages",
                    "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\""
                        + filler(900)
                        + "\"}]}]"))
            .addAttributes(
                str(
                    "gen_ai.output.messages",
                    "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\""
                        + filler(600)
                        + "\"}],\"finish_reason\":\"stop\"}]"));
      }
      return s;
    }

    Span.Builder openInference(
        ByteString parent, Model m, long start, long end, long input, long cacheRead, long output) {
      Span.Builder s =
          span(randomId(8), parent, "ChatCompletion", start, end)
              .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
              .addAttributes(str("openinference.span.kind", "LLM"))
              .addAttributes(str("llm.provider", m.provider()))
              .addAttributes(str("llm.system", m.provider()))
              .addAttributes(str("llm.model_name", m.model()))
              .addAttributes(integer("llm.token_count.prompt", input))
              .addAttributes(integer("llm.token_count.completion", output))
              .addAttributes(integer("llm.token_count.total", input + output))
              .addAttributes(
                  str("llm.invocation_parameters", "{\"temperature\":0.2,\"max_tokens\":4096}"))
              .addAttributes(str("session.id", session))
              .addAttributes(str("user.id", user))
              .addAttributes(str("input.mime_type", "application/json"))
              .addAttributes(str("output.mime_type", "application/json"))
              .addAttributes(str("llm.input_messages.0.message.role", "user"))
              .addAttributes(str("llm.output_messages.0.message.role", "assistant"))
              .addAttributes(str("metadata", "{\"crew\":\"bench\"}"));
      if (cacheRead > 0) {
        s.addAttributes(integer("llm.token_count.prompt_details.cache_read", cacheRead));
      }
      if (spec.captureContent()) {
        s.addAttributes(str("input.value", "{\"messages\":\"" + filler(900) + "\"}"))
            .addAttributes(str("output.value", "{\"content\":\"" + filler(600) + "\"}"));
      }
      return s;
    }

    Span.Builder vercel(
        ByteString id,
        ByteString parent,
        String operation,
        Model m,
        long start,
        long end,
        long input,
        long output) {
      Span.Builder s =
          span(id, parent, operation, start, end)
              .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
              .addAttributes(str("operation.name", operation))
              .addAttributes(str("ai.operationId", operation))
              .addAttributes(str("ai.model.provider", vercelProvider(m)))
              .addAttributes(str("ai.model.id", m.model()))
              .addAttributes(str("ai.telemetry.functionId", "bench-crew"))
              .addAttributes(integer("ai.usage.promptTokens", input))
              .addAttributes(integer("ai.usage.completionTokens", output))
              .addAttributes(str("ai.response.finishReason", "stop"))
              .addAttributes(str("ai.settings.maxRetries", "2"))
              .addAttributes(str("ai.telemetry.metadata.sessionId", session))
              .addAttributes(str("ai.telemetry.metadata.userId", user));
      if (operation.endsWith("doGenerate")) {
        s.addAttributes(str("gen_ai.system", vercelProvider(m)))
            .addAttributes(str("gen_ai.request.model", m.model()))
            .addAttributes(str("gen_ai.response.model", m.model()))
            .addAttributes(str("ai.response.id", "aitxt-" + Long.toHexString(random.nextLong())))
            .addAttributes(strings("gen_ai.response.finish_reasons", "stop"))
            .addAttributes(integer("gen_ai.usage.input_tokens", input))
            .addAttributes(integer("gen_ai.usage.output_tokens", output));
      }
      if (spec.captureContent()) {
        s.addAttributes(str("ai.prompt", "{\"prompt\":\"" + filler(900) + "\"}"))
            .addAttributes(str("ai.response.text", filler(600)));
      }
      return s;
    }

    private Span.Builder span(
        ByteString id, @Nullable ByteString parent, String name, long start, long end) {
      Span.Builder s =
          Span.newBuilder()
              .setTraceId(traceId)
              .setSpanId(id)
              .setName(name)
              .setStartTimeUnixNano(start)
              .setEndTimeUnixNano(end)
              .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK));
      if (parent != null) {
        s.setParentSpanId(parent);
      }
      return s;
    }
  }

  private static String vercelProvider(Model m) {
    return switch (m.provider()) {
      case "openai" -> "openai.chat";
      case "anthropic" -> "anthropic.messages";
      case "gcp.gemini" -> "google.generative-ai";
      case "mistral_ai" -> "mistral.chat";
      default -> m.provider();
    };
  }

  private static String host(Model m) {
    return switch (m.provider()) {
      case "openai" -> "api.openai.com";
      case "anthropic" -> "api.anthropic.com";
      case "gcp.gemini" -> "generativelanguage.googleapis.com";
      case "mistral_ai" -> "api.mistral.ai";
      default -> "localhost";
    };
  }

  private String filler(int chars) {
    StringBuilder sb = new StringBuilder(chars);
    String words = "the agent checked the order history and drafted a reply to the customer ";
    int offset = random.nextInt(words.length());
    while (sb.length() < chars) {
      sb.append(words, offset, words.length());
      offset = 0;
    }
    sb.setLength(chars);
    return sb.toString();
  }

  static KeyValue str(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  static KeyValue integer(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }

  static KeyValue dbl(String key, double value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setDoubleValue(value))
        .build();
  }

  static KeyValue strings(String key, String... values) {
    ArrayValue.Builder array = ArrayValue.newBuilder();
    for (String v : values) {
      array.addValues(AnyValue.newBuilder().setStringValue(v));
    }
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setArrayValue(array))
        .build();
  }
}
