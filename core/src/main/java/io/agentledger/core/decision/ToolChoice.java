package io.agentledger.core.decision;

/**
 * A tool call a model asked for in its response.
 *
 * @param id the tool-call id the model gave it, or empty
 * @param name the tool's name
 * @param arguments the arguments as the model wrote them, truncated; empty when not recorded
 */
public record ToolChoice(String id, String name, String arguments) {
  public ToolChoice {
    id = id == null ? "" : id;
    name = name == null ? "" : name;
    arguments = arguments == null ? "" : arguments;
  }
}
