package io.agentledger.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerIT {

  @TempDir Path dir;

  @Test
  void recordsSurviveARestartOfTheBroker() throws Exception {
    Path logs = dir.resolve("kafka");
    int port;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(logs).start()) {
      port = broker.port();
      broker.createTopic("t", 2, Map.of());
      produce(broker.clientProperties(), "t", 10);
    }

    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(logs).port(port).start()) {
      broker.createTopic("t", 2, Map.of()); // exists: no error
      assertThat(consume(broker.clientProperties(), "t", 10))
          .containsExactlyInAnyOrder("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
    }
  }

  @Test
  void clientsWithoutTheCredentialsCanNeitherReadNorWrite() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).start()) {
      broker.createTopic("t", 1, Map.of());
      produce(broker.clientProperties(), "t", 1);

      Map<String, String> plaintext = Map.of("bootstrap.servers", broker.bootstrapServers());
      // Without SASL the broker closes the connection: the client never gets metadata.
      assertThatThrownBy(() -> produce(plaintext, "t", 1))
          .hasRootCauseInstanceOf(TimeoutException.class);
      assertThat(consume(plaintext, "t", 1)).isEmpty();

      Map<String, String> wrongPassword = new HashMap<>(broker.clientProperties());
      wrongPassword.put(
          "sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required"
              + " username=\"agentledger\" password=\"guess\";");
      assertThatThrownBy(() -> produce(wrongPassword, "t", 1))
          .hasRootCauseInstanceOf(SaslAuthenticationException.class);
      assertThatThrownBy(() -> consume(wrongPassword, "t", 1))
          .isInstanceOf(SaslAuthenticationException.class);
    }
  }

  @Test
  void listensOnLoopbackOnly() throws Exception {
    InetAddress external = nonLoopbackAddress();
    assumeTrue(external != null, "this machine has no non-loopback IPv4 address");
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).start()) {
      try (Socket loopback = new Socket()) {
        loopback.connect(new InetSocketAddress("127.0.0.1", broker.port()), 2_000);
        assertThat(loopback.isConnected()).isTrue();
      }
      try (Socket s = new Socket()) {
        assertThatThrownBy(() -> s.connect(new InetSocketAddress(external, broker.port()), 2_000))
            .isInstanceOf(IOException.class);
      }
    }
  }

  @Test
  void credentialsAndLogsAreReadableByTheOwnerOnly() throws Exception {
    Path logs = dir.resolve("kafka");
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(logs).start()) {
      assertThat(broker.credentialsFile()).isEqualTo(dir.resolve("kafka.credentials"));
      assertThat(mode(broker.credentialsFile())).isEqualTo("rw-------");
      assertThat(mode(dir.resolve("kafka.agentledger-cluster-id"))).isEqualTo("rw-------");
      assertThat(mode(logs)).isEqualTo("rwx------");
      String stored = Files.readString(broker.credentialsFile(), StandardCharsets.UTF_8);
      assertThat(broker.clientProperties().get("sasl.jaas.config"))
          .contains(
              stored
                  .lines()
                  .filter(l -> l.startsWith("client.password="))
                  .findFirst()
                  .orElseThrow()
                  .substring("client.password=".length()));
    }
  }

  /** A directory formatted by a broker that did not yet require authentication keeps working. */
  @Test
  void aDirectoryFormattedWithoutTheScramUserGetsItOnStart() throws Exception {
    Path logs = dir.resolve("kafka");
    Files.createDirectories(logs);
    String clusterId = Uuid.randomUuid().toString();
    Files.writeString(dir.resolve("kafka.agentledger-cluster-id"), clusterId);
    new Formatter()
        .setPrintStream(
            new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8))
        .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
        .setNodeId(1)
        .setClusterId(clusterId)
        .setDirectories(List.of(logs.toString()))
        .setMetadataLogDirectory(Optional.of(logs.toString()))
        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
        .setControllerListenerName("CONTROLLER")
        .run();

    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(logs).start()) {
      broker.createTopic("t", 1, Map.of());
      produce(broker.clientProperties(), "t", 3);
      assertThat(consume(broker.clientProperties(), "t", 3)).hasSize(3);
    }
    // A lost credentials file: new passwords, the user's password is replaced on start.
    Files.delete(dir.resolve("kafka.credentials"));
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(logs).start()) {
      assertThat(consume(broker.clientProperties(), "t", 3)).hasSize(3);
    }
  }

  private static void produce(Map<String, String> client, String topic, int n) throws Exception {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < n; i++) {
        producer
            .send(
                new ProducerRecord<>(
                    topic,
                    ("k" + i).getBytes(StandardCharsets.UTF_8),
                    ("v" + i).getBytes(StandardCharsets.UTF_8)))
            .get();
      }
    } catch (ExecutionException e) {
      throw e;
    }
  }

  /** Up to {@code n} values, polling for at most 10 s. */
  private static List<String> consume(Map<String, String> client, String topic, int n) {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "g-" + Uuid.randomUuid());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (values.size() < n && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          values.add(new String(r.value(), StandardCharsets.UTF_8));
        }
      }
    }
    return values;
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static InetAddress nonLoopbackAddress() throws IOException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (a instanceof Inet4Address) {
          return a;
        }
      }
    }
    return null;
  }
}
