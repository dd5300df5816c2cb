package io.agentledger.core.config;

import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One declared setting: its environment variable, how to parse it, its default and what it means.
 *
 * @param name the environment variable, {@code AGENTLEDGER_*}
 * @param parser turns the raw text into a value, throwing {@link IllegalArgumentException} with a
 *     message a user can act on
 * @param defaultValue raw text used when the setting is absent; null means required
 * @param secret true for values never to be printed (keys, passwords)
 */
public record Setting<T>(
    String name,
    Function<String, T> parser,
    @Nullable String defaultValue,
    boolean secret,
    String doc) {

  public Setting {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(parser, "parser");
    Objects.requireNonNull(doc, "doc");
  }
}
