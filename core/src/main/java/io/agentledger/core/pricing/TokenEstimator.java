package io.agentledger.core.pricing;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import io.agentledger.core.span.Usage;
import java.util.Locale;

/**
 * Counts tokens in recorded prompt and completion text when a span reported no usage. The count
 * uses OpenAI's tokenizers (o200k for current OpenAI models, cl100k otherwise), so for other
 * vendors it is an estimate — and costs computed from it are marked {@code estimated}.
 */
public final class TokenEstimator {

  private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

  private TokenEstimator() {}

  /** Estimated usage for the given texts; {@link Usage#NONE} when both are empty. */
  public static Usage estimate(String model, String inputText, String outputText) {
    boolean hasInput = inputText != null && !inputText.isEmpty();
    boolean hasOutput = outputText != null && !outputText.isEmpty();
    if (!hasInput && !hasOutput) {
      return Usage.NONE;
    }
    Encoding encoding = REGISTRY.getEncoding(encodingFor(model));
    long input = hasInput ? encoding.countTokensOrdinary(inputText) : 0;
    long output = hasOutput ? encoding.countTokensOrdinary(outputText) : 0;
    return Usage.of(input, output);
  }

  static EncodingType encodingFor(String model) {
    String m = model == null ? "" : model.toLowerCase(Locale.ROOT);
    if (m.contains("gpt-4o")
        || m.contains("gpt-4.1")
        || m.contains("gpt-4.5")
        || m.contains("gpt-5")
        || m.matches(".*\\bo[1345](-.*)?$")
        || m.contains("chatgpt")) {
      return EncodingType.O200K_BASE;
    }
    return EncodingType.CL100K_BASE;
  }
}
