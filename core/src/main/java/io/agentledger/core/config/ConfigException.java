package io.agentledger.core.config;

import io.agentledger.core.CoreException;
import java.util.List;

/** Invalid configuration, with every problem found (not just the first). */
public final class ConfigException extends CoreException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super("invalid configuration:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
