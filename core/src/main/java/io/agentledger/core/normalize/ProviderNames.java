package io.agentledger.core.normalize;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Normalizes provider names to the OpenTelemetry GenAI {@code gen_ai.provider.name} values.
 *
 * <p>Emitters disagree: pre-1.37 semantic conventions wrote {@code az.ai.openai}, {@code
 * vertex_ai}, {@code xai}; OpenInference writes {@code mistralai}, {@code vertexai}, {@code aws};
 * the Vercel AI SDK writes the provider's internal id ({@code openai.chat}, {@code
 * google.generative-ai}, {@code amazon-bedrock}); old OpenLLMetry capitalized ({@code Anthropic}).
 */
public final class ProviderNames {

  private static final Map<String, String> ALIASES =
      Map.ofEntries(
          Map.entry("openai", "openai"),
          Map.entry("open_ai", "openai"),
          Map.entry("anthropic", "anthropic"),
          Map.entry("aws.bedrock", "aws.bedrock"),
          Map.entry("aws", "aws.bedrock"),
          Map.entry("amazon", "aws.bedrock"),
          Map.entry("bedrock", "aws.bedrock"),
          Map.entry("amazon-bedrock", "aws.bedrock"),
          Map.entry("amazon_bedrock", "aws.bedrock"),
          Map.entry("bedrock_converse", "aws.bedrock"),
          Map.entry("azure.ai.openai", "azure.ai.openai"),
          Map.entry("az.ai.openai", "azure.ai.openai"),
          Map.entry("azure", "azure.ai.openai"),
          Map.entry("azure-openai", "azure.ai.openai"),
          Map.entry("azure_openai", "azure.ai.openai"),
          Map.entry("azure.ai.inference", "azure.ai.inference"),
          Map.entry("az.ai.inference", "azure.ai.inference"),
          Map.entry("azure_ai", "azure.ai.inference"),
          Map.entry("gcp.gemini", "gcp.gemini"),
          Map.entry("gemini", "gcp.gemini"),
          Map.entry("google", "gcp.gemini"),
          Map.entry("google.generative-ai", "gcp.gemini"),
          Map.entry("google-ai-studio", "gcp.gemini"),
          Map.entry("gcp.vertex_ai", "gcp.vertex_ai"),
          Map.entry("vertex_ai", "gcp.vertex_ai"),
          Map.entry("vertexai", "gcp.vertex_ai"),
          Map.entry("vertex", "gcp.vertex_ai"),
          Map.entry("google.vertex", "gcp.vertex_ai"),
          Map.entry("gcp.gen_ai", "gcp.gen_ai"),
          Map.entry("mistral_ai", "mistral_ai"),
          Map.entry("mistralai", "mistral_ai"),
          Map.entry("mistral", "mistral_ai"),
          Map.entry("deepseek", "deepseek"),
          Map.entry("x_ai", "x_ai"),
          Map.entry("xai", "x_ai"),
          Map.entry("cohere", "cohere"),
          Map.entry("groq", "groq"),
          Map.entry("perplexity", "perplexity"),
          Map.entry("moonshot_ai", "moonshot_ai"),
          Map.entry("moonshotai", "moonshot_ai"),
          Map.entry("ibm.watsonx.ai", "ibm.watsonx.ai"),
          Map.entry("ibm.watson.ai", "ibm.watsonx.ai"),
          Map.entry("together", "together_ai"),
          Map.entry("together_ai", "together_ai"),
          Map.entry("togetherai", "together_ai"),
          Map.entry("ollama", "ollama"),
          Map.entry("vllm", "vllm"),
          Map.entry("llama_cpp", "llama_cpp"),
          Map.entry("llama.cpp", "llama_cpp"),
          Map.entry("llamacpp", "llama_cpp"),
          Map.entry("llama-cpp", "llama_cpp"),
          Map.entry("openrouter", "openrouter"),
          Map.entry("fireworks", "fireworks_ai"),
          Map.entry("fireworks_ai", "fireworks_ai"),
          Map.entry("hugging_face", "hugging_face"),
          Map.entry("huggingface", "hugging_face"));

  /**
   * Names that frameworks write where the provider belongs but that name no host: Google ADK's
   * {@code gen_ai.system=gcp.vertex.agent} serves Gemini through AI Studio or Vertex, or any model
   * through LiteLLM. They count as "no provider said", so the model id decides.
   */
  private static final Set<String> FRAMEWORKS = Set.of("gcp.vertex.agent");

  private ProviderNames() {}

  /** True when the name (any case) is a provider name or alias we know. */
  public static boolean isKnown(String raw) {
    return raw != null && ALIASES.containsKey(raw.trim().toLowerCase(Locale.ROOT));
  }

  /** The normalized name; unknown providers are returned lower-cased and trimmed; null → "". */
  public static String normalize(String raw) {
    if (raw == null) {
      return "";
    }
    String name = raw.trim().toLowerCase(Locale.ROOT);
    if (name.isEmpty()) {
      return "";
    }
    if (FRAMEWORKS.contains(name)) {
      return "";
    }
    String known = ALIASES.get(name);
    if (known != null) {
      return known;
    }
    // Vercel AI SDK provider ids: "openai.chat", "anthropic.messages", "google.vertex.chat", ...
    if (name.startsWith("google.vertex")) {
      return "gcp.vertex_ai";
    }
    if (name.startsWith("google.generative-ai")) {
      return "gcp.gemini";
    }
    if (name.startsWith("azure")) {
      return "azure.ai.openai";
    }
    int dot = name.indexOf('.');
    if (dot > 0) {
      String prefix = ALIASES.get(name.substring(0, dot));
      if (prefix != null) {
        return prefix;
      }
    }
    return name;
  }
}
