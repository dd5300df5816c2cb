package io.agentledger.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A component's configuration: a declared table of settings (like Kafka's {@code ConfigDef}), read
 * from environment variables first, then an optional properties file, then the defaults. {@link
 * #load} validates everything at once, each value and then the {@link Rule rules} across values,
 * and reports every problem together.
 *
 * <pre>{@code
 * static final Setting<Integer> PORT = Settings.integer("AGENTLEDGER_OTLP_PORT", 4318, 0, 65535, "OTLP/HTTP port");
 * Settings.Values values = Settings.of(PORT, ...).load(System.getenv());
 * int port = values.get(PORT);
 * }</pre>
 */
public final class Settings {

  /** Environment variable naming an optional properties file with further settings. */
  public static final String CONFIG_FILE_VARIABLE = "AGENTLEDGER_CONFIG_FILE";

  private final List<Setting<?>> declared;
  private final List<Rule> rules;

  private Settings(List<Setting<?>> declared, List<Rule> rules) {
    this.declared = List.copyOf(declared);
    this.rules = List.copyOf(rules);
    Set<String> names = new HashSet<>();
    for (Setting<?> s : declared) {
      if (!names.add(s.name())) {
        throw new IllegalArgumentException(s.name() + " is declared twice");
      }
    }
    for (Rule r : rules) {
      if (!this.declared.containsAll(r.uses())) {
        throw new IllegalArgumentException("a rule uses a setting that is not declared");
      }
    }
  }

  public static Settings of(List<Setting<?>> settings) {
    return new Settings(settings, List.of());
  }

  /** Settings with rules across them (checked after each value parsed on its own). */
  public static Settings of(List<Setting<?>> settings, List<Rule> rules) {
    return new Settings(settings, rules);
  }

  /**
   * These settings followed by another component's, with both sets of rules: one table for a
   * process that runs several components.
   *
   * @throws IllegalArgumentException when both declare a setting of the same name
   */
  public Settings and(Settings other) {
    List<Setting<?>> settings = new ArrayList<>(declared);
    settings.addAll(other.declared);
    List<Rule> allRules = new ArrayList<>(rules);
    allRules.addAll(other.rules);
    return new Settings(settings, allRules);
  }

  public List<Setting<?>> declared() {
    return declared;
  }

  /**
   * A check across settings, such as "a URL is required when the store is ClickHouse". It runs only
   * when every setting it {@code uses} has a valid value, so one bad value is reported once.
   *
   * @param check returns the problem, or empty when the values are consistent
   */
  public record Rule(List<Setting<?>> uses, Function<Values, Optional<String>> check) {
    public Rule {
      uses = List.copyOf(uses);
      Objects.requireNonNull(check, "check");
    }
  }

  /** A rule over the given settings; see {@link Rule}. */
  public static Rule rule(Function<Values, Optional<String>> check, Setting<?>... uses) {
    return new Rule(List.of(uses), check);
  }

  /**
   * Reads every declared setting from the environment, then from the properties file named by
   * {@code AGENTLEDGER_CONFIG_FILE} (keys are the same names), then the defaults.
   *
   * @throws ConfigException listing every missing or invalid value
   */
  public Values load(Map<String, String> environment) {
    List<String> problems = new ArrayList<>();
    Map<String, String> file = Map.of();
    try {
      file = readFile(environment.get(CONFIG_FILE_VARIABLE));
    } catch (ConfigException e) { // reported with the rest; the environment may still be wrong too
      problems.addAll(e.problems());
    }
    Map<Setting<?>, Object> values = new LinkedHashMap<>();
    for (Setting<?> s : declared) {
      String raw = environment.get(s.name());
      String origin = "environment";
      if (raw == null) {
        raw = file.get(s.name());
        origin = "config file";
      }
      if (raw == null) {
        raw = s.defaultValue();
        origin = "default";
      }
      if (raw == null) {
        problems.add(s.name() + " is required: " + s.doc());
        continue;
      }
      try {
        values.put(s, s.parser().apply(raw.trim()));
      } catch (RuntimeException e) {
        problems.add(
            s.name()
                + "="
                + (s.secret() ? "****" : "'" + raw + "'")
                + " ("
                + origin
                + "): "
                + e.getMessage());
      }
    }
    Values parsed = new Values(values);
    for (Rule rule : rules) {
      if (values.keySet().containsAll(rule.uses())) {
        rule.check().apply(parsed).ifPresent(problems::add);
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return parsed;
  }

  private static Map<String, String> readFile(String path) {
    if (path == null || path.isBlank()) {
      return Map.of();
    }
    Properties props = new Properties();
    try (InputStream in = Files.newInputStream(Path.of(path))) {
      props.load(in);
    } catch (IOException e) {
      throw new ConfigException(
          List.of(CONFIG_FILE_VARIABLE + "=" + path + ": cannot read: " + e.getMessage()));
    }
    Map<String, String> out = new LinkedHashMap<>();
    props.forEach((k, v) -> out.put(k.toString(), v.toString()));
    return out;
  }

  /** A human-readable table of the settings: name, default, meaning. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (Setting<?> s : declared) {
      sb.append(
          String.format(
              Locale.ROOT, "%-37s %-24s %s%n", s.name(), shownDefault(s.defaultValue()), s.doc()));
    }
    return sb.toString();
  }

  /**
   * The same table as Markdown rows ({@code | `NAME` | `default` | meaning |}), without the header:
   * what the READMEs list, so a test can hold them to the declarations.
   */
  public String markdownRows() {
    StringBuilder sb = new StringBuilder();
    for (Setting<?> s : declared) {
      String shown = shownDefault(s.defaultValue());
      sb.append("| `")
          .append(s.name())
          .append("` | ")
          .append(shown.startsWith("(") ? shown : "`" + shown + "`")
          .append(" | ")
          .append(s.doc().replace("|", "\\|"))
          .append(" |\n");
    }
    return sb.toString();
  }

  private static String shownDefault(String defaultValue) {
    if (defaultValue == null) {
      return "(required)";
    }
    return defaultValue.isEmpty() ? "(unset)" : defaultValue;
  }

  // --- setting factories ----------------------------------------------------------------------

  public static Setting<String> string(String name, String defaultValue, String doc) {
    return new Setting<>(name, Function.identity(), defaultValue, false, doc);
  }

  public static Setting<String> secret(String name, String defaultValue, String doc) {
    return new Setting<>(name, Function.identity(), defaultValue, true, doc);
  }

  public static Setting<Integer> integer(
      String name, int defaultValue, int min, int max, String doc) {
    return new Setting<>(
        name,
        raw -> {
          int value;
          try {
            value = Integer.parseInt(raw);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an integer");
          }
          if (value < min || value > max) {
            throw new IllegalArgumentException("must be between " + min + " and " + max);
          }
          return value;
        },
        Integer.toString(defaultValue),
        false,
        doc);
  }

  public static Setting<Long> bytes(String name, long defaultValue, long min, String doc) {
    return new Setting<>(
        name,
        raw -> {
          long value = parseBytes(raw);
          if (value < min) {
            throw new IllegalArgumentException("must be at least " + min + " bytes");
          }
          return value;
        },
        Long.toString(defaultValue),
        false,
        doc);
  }

  public static Setting<Duration> duration(String name, String defaultValue, String doc) {
    return new Setting<>(name, Settings::parseDuration, defaultValue, false, doc);
  }

  /** A duration of at least {@code min}. */
  public static Setting<Duration> duration(
      String name, String defaultValue, Duration min, String doc) {
    return new Setting<>(
        name,
        raw -> {
          Duration value = parseDuration(raw);
          if (value.compareTo(min) < 0) {
            throw new IllegalArgumentException("must be at least " + format(min));
          }
          return value;
        },
        defaultValue,
        false,
        doc);
  }

  /**
   * Text matching a regular expression (as a whole), such as a Kafka topic name.
   *
   * @param expected what a valid value looks like, for the error message
   */
  public static Setting<String> matching(
      String name, String defaultValue, String regex, String expected, String doc) {
    Pattern pattern = Pattern.compile(regex);
    return new Setting<>(
        name,
        raw -> {
          if (!pattern.matcher(raw).matches()) {
            throw new IllegalArgumentException("expected " + expected);
          }
          return raw;
        },
        defaultValue,
        false,
        doc);
  }

  public static Setting<Boolean> bool(String name, boolean defaultValue, String doc) {
    return new Setting<>(
        name,
        raw ->
            switch (raw.toLowerCase(Locale.ROOT)) {
              case "true", "yes", "1", "on" -> true;
              case "false", "no", "0", "off" -> false;
              default -> throw new IllegalArgumentException("expected true or false");
            },
        Boolean.toString(defaultValue),
        false,
        doc);
  }

  public static <E extends Enum<E>> Setting<E> oneOf(
      String name, Class<E> type, E defaultValue, String doc) {
    return new Setting<>(
        name,
        raw -> {
          for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(raw)) {
              return e;
            }
          }
          List<String> names = new ArrayList<>();
          for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
          }
          throw new IllegalArgumentException("expected one of " + names);
        },
        defaultValue.name().toLowerCase(Locale.ROOT),
        false,
        doc);
  }

  /** {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 7d}, or ISO-8601 {@code PT5S}. */
  public static Duration parseDuration(String raw) {
    String s = raw.trim().toLowerCase(Locale.ROOT);
    try {
      if (s.startsWith("pt") || s.startsWith("p")) {
        return Duration.parse(raw.trim().toUpperCase(Locale.ROOT));
      }
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      }
      long n = Long.parseLong(s.substring(0, s.length() - 1));
      return switch (s.charAt(s.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        case 'd' -> Duration.ofDays(n);
        default -> throw new IllegalArgumentException("bad unit");
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a duration (use 500ms, 5s, 2m, 1h, 7d)");
    }
  }

  /** {@code 250ms}, {@code 5s}, {@code 2m}: the way durations are written in settings. */
  public static String format(Duration d) {
    if (d.toMillis() % 1000 != 0) {
      return d.toMillis() + "ms";
    }
    long seconds = d.toSeconds();
    if (seconds != 0 && seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    if (seconds != 0 && seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }

  /**
   * {@code 1048576}, {@code 512KiB}, {@code 16MiB}, {@code 1GiB} (also KB/MB/GB as powers of 1024).
   */
  public static long parseBytes(String raw) {
    String s = raw.trim().toLowerCase(Locale.ROOT).replace("ib", "").replace("b", "");
    long multiplier = 1;
    if (s.endsWith("k")) {
      multiplier = 1024;
    } else if (s.endsWith("m")) {
      multiplier = 1024 * 1024;
    } else if (s.endsWith("g")) {
      multiplier = 1024L * 1024 * 1024;
    }
    if (multiplier > 1) {
      s = s.substring(0, s.length() - 1);
    }
    try {
      return Math.multiplyExact(Long.parseLong(s.trim()), multiplier);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a size (use 1048576, 512KiB, 16MiB)");
    }
  }

  /** Parsed settings. */
  public static final class Values {
    private final Map<Setting<?>, Object> values;

    private Values(Map<Setting<?>, Object> values) {
      this.values = Collections.unmodifiableMap(values);
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
      Object v = values.get(setting);
      if (v == null && !values.containsKey(setting)) {
        throw new IllegalArgumentException(setting.name() + " was not declared");
      }
      return (T) v;
    }

    /** Name → value, with secrets masked: safe to log. */
    public Map<String, String> masked() {
      Map<String, String> out = new LinkedHashMap<>();
      values.forEach((s, v) -> out.put(s.name(), s.secret() ? "****" : Objects.toString(v)));
      return out;
    }
  }
}
