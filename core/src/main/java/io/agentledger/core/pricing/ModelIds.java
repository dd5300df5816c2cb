package io.agentledger.core.pricing;

import io.agentledger.core.normalize.ProviderNames;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Variants of a reported model id to look up, most specific first. */
final class ModelIds {

  private static final Pattern BEDROCK_VERSION = Pattern.compile("-v\\d+(:\\d+)?$");
  private static final Pattern BEDROCK_VENDOR =
      Pattern.compile(
          "^(anthropic|meta|mistral|amazon|cohere|deepseek|openai|ai21|writer|qwen)\\.");
  private static final Pattern DATE_SUFFIX =
      Pattern.compile("(-\\d{4}-\\d{2}-\\d{2}|-\\d{8}|-\\d{4}|-latest)$");

  private ModelIds() {}

  /** A reported id split into a provider hint (from a routing prefix) and lookup variants. */
  record Variants(String providerHint, List<String> exact, List<String> normalized) {}

  static Variants of(String rawModel) {
    String id = rawModel.trim().toLowerCase(Locale.ROOT);
    String providerHint = "";
    Set<String> exact = new LinkedHashSet<>();
    exact.add(id);
    String stripped = id;
    if (stripped.startsWith("models/")) { // Gemini API resource names
      stripped = stripped.substring("models/".length());
    }
    int slash = stripped.lastIndexOf('/');
    if (slash
        >= 0) { // "openai/gpt-4o", "bedrock/us.anthropic...", "openrouter/anthropic/claude..."
      String[] segments = stripped.substring(0, slash).split("/");
      for (int i = segments.length - 1; i >= 0 && providerHint.isEmpty(); i--) {
        if (ProviderNames.isKnown(segments[i])) {
          providerHint = ProviderNames.normalize(segments[i]);
        }
      }
      stripped = stripped.substring(slash + 1);
    }
    Set<String> normalized = new LinkedHashSet<>();
    addWithDerived(stripped, normalized);
    normalized.removeAll(exact);
    return new Variants(providerHint, List.copyOf(exact), new ArrayList<>(normalized));
  }

  private static void addWithDerived(String id, Set<String> out) {
    out.add(id);
    String s = id;
    int at = s.indexOf('@'); // Vertex: claude-sonnet-4-5@20250929
    if (at > 0) {
      out.add(s.substring(0, at) + "-" + s.substring(at + 1));
      s = s.substring(0, at);
      out.add(s);
    }
    // Bedrock inference profiles (us., eu., global., us-gov., ...) are never stripped: a regional
    // profile costs more than the global one, so each profile is a catalog entry or alias.
    String bedrock = s;
    if (BEDROCK_VENDOR.matcher(bedrock).find()) {
      String vendorless = BEDROCK_VENDOR.matcher(bedrock).replaceFirst("");
      String unversioned = BEDROCK_VERSION.matcher(vendorless).replaceFirst("");
      out.add(BEDROCK_VERSION.matcher(bedrock).replaceFirst(""));
      out.add(unversioned);
      s = unversioned;
    }
    String undated = DATE_SUFFIX.matcher(s).replaceFirst("");
    if (!undated.equals(s) && !undated.isEmpty()) {
      out.add(undated);
    }
  }
}
