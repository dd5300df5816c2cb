package io.agentledger.core.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * How a client authenticates to an external Kafka cluster (docs/security.md, "Kafka"): SASL with a
 * user and password, or any Kafka client properties (TLS keystores for mTLS, OAUTHBEARER, ...) from
 * a file. One table for every component with a Kafka client (the standalone's collector, the
 * instrumentation's Kafka exporter). The embedded broker needs none of this: it hands its own
 * credentials over.
 */
public final class KafkaClientSettings {

  private static final List<String> PROTOCOLS =
      List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
  private static final List<String> MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

  static final Setting<String> SECURITY_PROTOCOL =
      new Setting<>(
          "AGENTLEDGER_KAFKA_SECURITY_PROTOCOL",
          raw -> raw.isEmpty() ? raw : oneOf(raw, PROTOCOLS),
          "",
          false,
          "external Kafka: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL (unset: SASL_SSL when a"
              + " SASL user is set, else PLAINTEXT)");
  static final Setting<String> SASL_MECHANISM =
      new Setting<>(
          "AGENTLEDGER_KAFKA_SASL_MECHANISM",
          raw -> oneOf(raw, MECHANISMS),
          "SCRAM-SHA-512",
          false,
          "external Kafka: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (others through"
              + " AGENTLEDGER_KAFKA_CLIENT_PROPERTIES)");
  static final Setting<String> SASL_USERNAME =
      Settings.string("AGENTLEDGER_KAFKA_SASL_USERNAME", "", "external Kafka: SASL user");
  static final Setting<String> SASL_PASSWORD =
      Settings.secret("AGENTLEDGER_KAFKA_SASL_PASSWORD", "", "external Kafka: SASL password");
  static final Setting<Map<String, String>> CLIENT_PROPERTIES =
      new Setting<>(
          "AGENTLEDGER_KAFKA_CLIENT_PROPERTIES",
          KafkaClientSettings::readProperties,
          "",
          false,
          "external Kafka: a file of Kafka client properties (ssl.keystore.location, ...)"
              + " applied to every client; keep it readable by this user only");

  /** The settings and the rule across them, for a component's table ({@link Settings#and}). */
  public static final Settings SETTINGS =
      Settings.of(
          List.of(
              SECURITY_PROTOCOL, SASL_MECHANISM, SASL_USERNAME, SASL_PASSWORD, CLIENT_PROPERTIES),
          List.of(
              Settings.rule(
                  v ->
                      v.get(SASL_USERNAME).isEmpty() != v.get(SASL_PASSWORD).isEmpty()
                          ? Optional.of(
                              SASL_USERNAME.name()
                                  + " and "
                                  + SASL_PASSWORD.name()
                                  + " must be set together")
                          : Optional.empty(),
                  SASL_USERNAME,
                  SASL_PASSWORD)));

  private KafkaClientSettings() {}

  /**
   * The client properties for the cluster at {@code bootstrapServers}: the file's, then the SASL
   * settings. The result holds the password: never log it.
   */
  public static Map<String, String> clientProperties(String bootstrapServers, Settings.Values v) {
    Map<String, String> p = new LinkedHashMap<>(v.get(CLIENT_PROPERTIES));
    p.put("bootstrap.servers", bootstrapServers);
    String protocol = v.get(SECURITY_PROTOCOL);
    String user = v.get(SASL_USERNAME);
    if (!user.isEmpty()) {
      String mechanism = v.get(SASL_MECHANISM);
      String module =
          mechanism.equals("PLAIN")
              ? "org.apache.kafka.common.security.plain.PlainLoginModule"
              : "org.apache.kafka.common.security.scram.ScramLoginModule";
      p.put("sasl.mechanism", mechanism);
      p.put(
          "sasl.jaas.config",
          module
              + " required username=\""
              + quote(user)
              + "\" password=\""
              + quote(v.get(SASL_PASSWORD))
              + "\";");
      if (protocol.isEmpty()) {
        protocol = "SASL_SSL";
      }
    }
    if (!protocol.isEmpty()) {
      p.put("security.protocol", protocol);
    }
    return Map.copyOf(p);
  }

  private static String oneOf(String raw, List<String> allowed) {
    String value = raw.toUpperCase(Locale.ROOT);
    if (!allowed.contains(value)) {
      throw new IllegalArgumentException("expected one of " + allowed);
    }
    return value;
  }

  private static String quote(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static Map<String, String> readProperties(String path) {
    if (path.isBlank()) {
      return Map.of();
    }
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(Path.of(path), StandardCharsets.UTF_8)) {
      props.load(in);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot read: " + e.getMessage());
    }
    Map<String, String> out = new LinkedHashMap<>();
    props.forEach((k, val) -> out.put(k.toString(), val.toString()));
    return out;
  }
}
