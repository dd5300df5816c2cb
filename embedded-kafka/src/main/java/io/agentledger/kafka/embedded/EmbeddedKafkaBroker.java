package io.agentledger.kafka.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single Kafka 4 node — broker and KRaft controller in one — running inside this JVM.
 *
 * <p>The log directory is formatted on first start and reused afterwards, so topics and their
 * records survive restarts. Records acknowledged with {@code acks=all} are in the broker's log (the
 * operating system's page cache): they survive this process crashing, not the machine losing power.
 *
 * <p>It is not an open door to the other users and programs of the machine (docs/security.md,
 * "Kafka"): both listeners are bound to 127.0.0.1 and require SASL authentication. Clients
 * authenticate with SCRAM-SHA-512 as user {@value BrokerCredentials#CLIENT_USER} ({@link
 * #clientProperties()}); the broker itself uses PLAIN (SCRAM cannot guard a KRaft controller
 * listener: its credentials live in the metadata the controller serves). The passwords are
 * generated on first start into {@code <logDir>.credentials} (mode 0600) and never logged; the
 * client user is added to the metadata when the directory is formatted, or through the Admin API
 * when the directory was formatted before the broker required authentication.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final String CLUSTER_ID_FILE = "agentledger-cluster-id";
  private static final String CREDENTIALS_FILE = "credentials";
  private static final String HOST = "127.0.0.1";
  private static final String SCRAM = "SCRAM-SHA-512";
  private static final String PLAIN_MODULE =
      "org.apache.kafka.common.security.plain.PlainLoginModule";
  private static final String SCRAM_MODULE =
      "org.apache.kafka.common.security.scram.ScramLoginModule";

  private final Path logDir;
  private final int port;
  private final int controllerPort;
  private final Map<String, String> overrides;
  private KafkaRaftServer server;
  private BrokerCredentials credentials;

  private EmbeddedKafkaBroker(Builder b) {
    this.logDir = b.logDir;
    this.port = b.port == 0 ? freePort() : b.port;
    this.controllerPort = b.controllerPort == 0 ? freePort() : b.controllerPort;
    this.overrides = Map.copyOf(b.overrides);
  }

  public static Builder builder(Path logDir) {
    return new Builder(logDir);
  }

  /** Formats the log directory if needed and starts the node; returns once it serves requests. */
  public synchronized EmbeddedKafkaBroker start() {
    if (server != null) {
      return this;
    }
    try {
      BrokerCredentials.ownerOnlyDirectory(logDir);
      String clusterId = clusterId();
      credentials = BrokerCredentials.loadOrCreate(credentialsFile());
      boolean formattedBefore = Files.exists(logDir.resolve("meta.properties"));
      Properties props = config();
      format(clusterId);
      long started = System.nanoTime();
      server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
      server.startup();
      if (formattedBefore) {
        ensureClientUser();
      }
      LOG.info(
          "Embedded Kafka broker up on {} in {} ms (logs in {})",
          bootstrapServers(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
          logDir);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot start the embedded Kafka broker: " + e.getMessage(), e);
    }
  }

  /** {@code 127.0.0.1:port} of the broker's client listener. */
  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  /**
   * Everything a Kafka client needs to connect: {@code bootstrap.servers} and the SASL/SCRAM
   * settings with the generated client credentials. Available once started; keep it out of logs.
   */
  public Map<String, String> clientProperties() {
    if (credentials == null) {
      throw new IllegalStateException("the broker has not been started");
    }
    return Map.of(
        "bootstrap.servers",
        bootstrapServers(),
        "security.protocol",
        "SASL_PLAINTEXT",
        "sasl.mechanism",
        SCRAM,
        "sasl.jaas.config",
        SCRAM_MODULE
            + " required username=\""
            + BrokerCredentials.CLIENT_USER
            + "\" password=\""
            + credentials.clientPassword()
            + "\";");
  }

  /** The file holding the generated broker and client passwords (mode 0600). */
  public Path credentialsFile() {
    return logDir.resolveSibling(logDir.getFileName() + "." + CREDENTIALS_FILE);
  }

  public int port() {
    return port;
  }

  public Path logDir() {
    return logDir;
  }

  /** Creates a topic unless it exists. */
  public void createTopic(String name, int partitions, Map<String, String> configs) {
    try (Admin admin = Admin.create(Map.<String, Object>copyOf(clientProperties()))) {
      admin
          .createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topic " + name, e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topic " + name, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out creating topic " + name, e);
    }
  }

  /** Stops the node and waits until it has; idempotent. */
  @Override
  public synchronized void close() {
    if (server == null) {
      return;
    }
    server.shutdown();
    server.awaitShutdown();
    server = null;
    LOG.info("Embedded Kafka broker stopped");
  }

  private Properties config() {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
    p.put(
        "listeners",
        "CLIENT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
    p.put("advertised.listeners", "CLIENT://" + HOST + ":" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "CLIENT");
    p.put("listener.security.protocol.map", "CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
    // Clients use SCRAM; the broker's own user uses PLAIN with a password from its config, which
    // works before the metadata (where SCRAM credentials live) is loaded.
    String brokerLogin =
        PLAIN_MODULE
            + " required username=\""
            + BrokerCredentials.BROKER_USER
            + "\" password=\""
            + credentials.brokerPassword()
            + "\" user_"
            + BrokerCredentials.BROKER_USER
            + "=\""
            + credentials.brokerPassword()
            + "\";";
    p.put("listener.name.client.sasl.enabled.mechanisms", SCRAM + ",PLAIN");
    p.put("listener.name.client.plain.sasl.jaas.config", brokerLogin);
    p.put("listener.name.client.scram-sha-512.sasl.jaas.config", SCRAM_MODULE + " required;");
    p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
    p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
    p.put("listener.name.controller.plain.sasl.jaas.config", brokerLogin);
    p.put("sasl.mechanism.controller.protocol", "PLAIN");
    p.put("log.dirs", logDir.toString());
    p.put("num.partitions", "4");
    p.put("auto.create.topics.enable", "false");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("log.retention.hours", "168");
    overrides.forEach(p::put);
    return p;
  }

  private void format(String clusterId) throws Exception {
    new Formatter()
        .setPrintStream(
            new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8))
        .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
        .setNodeId(1)
        .setClusterId(clusterId)
        .setDirectories(List.of(logDir.toString()))
        .setMetadataLogDirectory(Optional.of(logDir.toString()))
        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
        .setControllerListenerName("CONTROLLER")
        .setScramArguments(
            List.of(
                SCRAM
                    + "=[name="
                    + BrokerCredentials.CLIENT_USER
                    + ",password="
                    + credentials.clientPassword()
                    + "]"))
        .setIgnoreFormatted(true) // a restart reuses the formatted directory
        .run();
  }

  /** The cluster id, generated on first start and kept beside the logs. */
  private String clusterId() throws IOException {
    Path file = logDir.resolveSibling(logDir.getFileName() + "." + CLUSTER_ID_FILE);
    if (Files.exists(file)) {
      BrokerCredentials.restrict(file);
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    }
    String id = Uuid.randomUuid().toString();
    BrokerCredentials.writeOwnerOnly(file, id);
    return id;
  }

  /**
   * Adds the client user to a directory formatted before the broker required authentication (or
   * whose credentials file was replaced), then waits until the broker accepts it.
   */
  private void ensureClientUser() throws Exception {
    Map<String, Object> asBroker = new HashMap<>();
    asBroker.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    asBroker.put("security.protocol", "SASL_PLAINTEXT");
    asBroker.put("sasl.mechanism", "PLAIN");
    asBroker.put(
        "sasl.jaas.config",
        PLAIN_MODULE
            + " required username=\""
            + BrokerCredentials.BROKER_USER
            + "\" password=\""
            + credentials.brokerPassword()
            + "\";");
    try (Admin admin = Admin.create(asBroker)) {
      boolean exists;
      try {
        exists =
            !admin
                .describeUserScramCredentials(List.of(BrokerCredentials.CLIENT_USER))
                .all()
                .get(30, TimeUnit.SECONDS)
                .isEmpty();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof ResourceNotFoundException)) {
          throw e;
        }
        exists = false;
      }
      if (exists && !credentials.created()) {
        return;
      }
      LOG.info("Adding the SCRAM client user to the existing Kafka data in {}", logDir);
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      BrokerCredentials.CLIENT_USER,
                      new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
                      credentials.clientPassword())))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    awaitClientLogin();
  }

  /** The broker learns new SCRAM credentials from the metadata log shortly after they commit. */
  private void awaitClientLogin() throws InterruptedException {
    Map<String, Object> asClient = new HashMap<>(clientProperties());
    asClient.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000);
    asClient.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try (Admin admin = Admin.create(asClient)) {
        admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException | TimeoutException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the SCRAM client user was not accepted in 30 s", e);
        }
        Thread.sleep(100); // retry back-off
      }
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Configures an {@link EmbeddedKafkaBroker}. */
  public static final class Builder {
    private final Path logDir;
    private int port;
    private int controllerPort;
    private final Map<String, String> overrides = new java.util.HashMap<>();

    private Builder(Path logDir) {
      this.logDir = Objects.requireNonNull(logDir, "logDir");
    }

    /** The client listener's port; 0 (the default) picks a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The controller listener's port; 0 (the default) picks a free one. */
    public Builder controllerPort(int controllerPort) {
      this.controllerPort = controllerPort;
      return this;
    }

    /** A broker setting to add or replace. */
    public Builder config(String key, String value) {
      overrides.put(key, value);
      return this;
    }

    public EmbeddedKafkaBroker build() {
      return new EmbeddedKafkaBroker(this);
    }

    /** Builds and starts. */
    public EmbeddedKafkaBroker start() {
      return build().start();
    }
  }
}
