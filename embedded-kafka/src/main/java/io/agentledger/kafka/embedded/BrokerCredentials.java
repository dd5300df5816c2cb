package io.agentledger.kafka.embedded;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;
import java.util.Set;

/**
 * The embedded broker's generated passwords, kept in a properties file readable only by its owner:
 * the broker's own user (PLAIN, on the controller listener and between the broker and itself) and
 * the client user (SCRAM-SHA-512) every in-process client authenticates as.
 *
 * <p>The file is written once, to a temporary file created with mode 0600 and renamed into place,
 * so it is never readable by others and never half-written. The passwords are never logged.
 */
record BrokerCredentials(String brokerPassword, String clientPassword, boolean created) {

  static final String BROKER_USER = "agentledger-broker";
  static final String CLIENT_USER = "agentledger";

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  /** Reads the file, or generates the passwords and creates it. */
  static BrokerCredentials loadOrCreate(Path file) {
    try {
      if (Files.exists(file)) {
        restrict(file);
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          p.load(in);
        }
        String broker = p.getProperty("broker.password");
        String client = p.getProperty("client.password");
        if (broker == null || client == null) {
          throw new IllegalStateException(
              file + " is incomplete; delete it to generate new broker credentials");
        }
        return new BrokerCredentials(broker, client, false);
      }
      BrokerCredentials generated = new BrokerCredentials(random(), random(), true);
      Properties p = new Properties();
      p.setProperty("broker.user", BROKER_USER);
      p.setProperty("broker.password", generated.brokerPassword());
      p.setProperty("client.user", CLIENT_USER);
      p.setProperty("client.password", generated.clientPassword());
      writeOwnerOnly(file, p);
      return generated;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the Kafka credentials in " + file, e);
    }
  }

  /** Creates {@code dir} (and parents) with mode 0700, or narrows an existing one to it. */
  static void ownerOnlyDirectory(Path dir) throws IOException {
    Files.createDirectories(dir);
    if (posix()) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
  }

  /** Narrows an existing file to mode 0600 (files written before this was the rule). */
  static void restrict(Path file) throws IOException {
    if (posix() && Files.exists(file)) {
      Files.setPosixFilePermissions(file, OWNER_ONLY);
    }
  }

  /** Writes {@code content} to a new file that has mode 0600 from its creation. */
  static void writeOwnerOnly(Path file, String content) throws IOException {
    Path tmp = createOwnerOnlyTemp(file);
    try {
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void writeOwnerOnly(Path file, Properties content) throws IOException {
    Path tmp = createOwnerOnlyTemp(file);
    try {
      try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        content.store(out, "AgentLedger embedded Kafka credentials: keep private");
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static Path createOwnerOnlyTemp(Path file) throws IOException {
    FileAttribute<?>[] attrs =
        posix()
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
            : new FileAttribute<?>[0];
    return Files.createTempFile(file.toAbsolutePath().getParent(), ".tmp-", "", attrs);
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  private static String random() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Never the passwords. */
  @Override
  public String toString() {
    return "BrokerCredentials[users=" + BROKER_USER + "," + CLIENT_USER + "]";
  }
}
