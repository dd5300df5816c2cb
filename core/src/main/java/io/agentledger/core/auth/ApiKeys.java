package io.agentledger.core.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * API keys, each belonging to one project. Only SHA-256 hashes are kept in memory and on disk;
 * lookups compare hashes in constant time, so response timing does not reveal how much of a guess
 * was right.
 *
 * <p>Keys come from {@code AGENTLEDGER_API_KEYS} ({@code project:key,project:key}), one key per
 * project: a key given twice is rejected, since it would let one project's senders write into, and
 * read, the other. When that is unset, one key for the project {@code default} is generated on
 * first start into a file created readable only by its owner; it is printed once, when created, and
 * afterwards only on request ({@code ./agentledger key}), so it does not land in service logs.
 */
public final class ApiKeys {

  /** Project names: letters, digits, {@code . _ -}, at most 64 characters. */
  public static final Pattern PROJECT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private static final String KEY_PREFIX = "al_";
  private static final String HASHES_FILE = "api-keys.sha256";
  private static final String PLAINTEXT_FILE = "api-key.txt";
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final List<Entry> entries;

  private record Entry(String project, byte[] hash) {}

  private ApiKeys(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /**
   * Parses {@code project:key,project:key}.
   *
   * @throws IllegalArgumentException naming the malformed pair (never the key itself)
   */
  public static ApiKeys parse(String spec) {
    List<Entry> entries = new ArrayList<>();
    List<Integer> indexes = new ArrayList<>();
    int index = 0;
    for (String pair : spec.split(",")) {
      index++;
      String p = pair.trim();
      if (p.isEmpty()) {
        continue;
      }
      int colon = p.indexOf(':');
      if (colon <= 0 || colon == p.length() - 1) {
        throw new IllegalArgumentException("entry " + index + " is not project:key");
      }
      String project = p.substring(0, colon).trim();
      String key = p.substring(colon + 1).trim();
      if (!PROJECT_NAME.matcher(project).matches()) {
        throw new IllegalArgumentException(
            "entry " + index + ": invalid project name '" + project + "'");
      }
      if (key.length() < 16) {
        throw new IllegalArgumentException(
            "entry " + index + " (" + project + "): key shorter than 16 characters");
      }
      byte[] hash = sha256(key);
      for (int i = 0; i < entries.size(); i++) {
        if (MessageDigest.isEqual(entries.get(i).hash(), hash)) {
          throw new IllegalArgumentException(
              "entry "
                  + index
                  + " ("
                  + project
                  + ") has the same key as entry "
                  + indexes.get(i)
                  + " ("
                  + entries.get(i).project()
                  + "); every project needs a key of its own");
        }
      }
      entries.add(new Entry(project, hash));
      indexes.add(index);
    }
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("no project:key pairs");
    }
    return new ApiKeys(entries);
  }

  /** The keys of a data directory: generated for project {@code default} on first use. */
  public static Generated loadOrGenerate(Path dataDir) {
    Path plaintext = dataDir.resolve(PLAINTEXT_FILE);
    Path hashes = dataDir.resolve(HASHES_FILE);
    try {
      Files.createDirectories(dataDir);
      if (Files.exists(plaintext)) {
        restrict(plaintext); // written by a version that narrowed the mode afterwards
        restrict(hashes);
        String key = Files.readString(plaintext, StandardCharsets.UTF_8).trim();
        return new Generated(new ApiKeys(List.of(new Entry("default", sha256(key)))), key, false);
      }
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      String key = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      writeOwnerOnly(hashes, "default:" + HexFormat.of().formatHex(sha256(key)) + "\n");
      writeOwnerOnly(plaintext, key + "\n"); // last: its presence means the key is complete
      return new Generated(new ApiKeys(List.of(new Entry("default", sha256(key)))), key, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep API keys in " + dataDir, e);
    }
  }

  /** The key generated in a data directory, if one was: for {@code ./agentledger key}. */
  public static Optional<String> generatedKey(Path dataDir) {
    Path plaintext = dataDir.resolve(PLAINTEXT_FILE);
    try {
      return Files.exists(plaintext)
          ? Optional.of(Files.readString(plaintext, StandardCharsets.UTF_8).trim())
          : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + plaintext, e);
    }
  }

  /** A generated key and whether it was created just now. */
  public record Generated(ApiKeys keys, String key, boolean created) {
    /** Never the key. */
    @Override
    public String toString() {
      return "Generated[" + keys + ", created=" + created + "]";
    }
  }

  /** The project a presented key belongs to. Constant-time over all keys. */
  public Optional<String> projectFor(String presentedKey) {
    if (presentedKey == null || presentedKey.isEmpty()) {
      return Optional.empty();
    }
    byte[] hash = sha256(presentedKey);
    String found = null;
    for (Entry e : entries) {
      if (MessageDigest.isEqual(e.hash(), hash) && found == null) {
        found = e.project();
      }
    }
    return Optional.ofNullable(found);
  }

  /**
   * The project for an {@code Authorization} header value ({@code Bearer <key>}); empty when the
   * header is missing, malformed or the key is unknown.
   */
  public Optional<String> projectForAuthorization(String header) {
    if (header == null) {
      return Optional.empty();
    }
    String h = header.trim();
    if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    return projectFor(h.substring(7).trim());
  }

  public Set<String> projects() {
    Set<String> out = new LinkedHashSet<>();
    entries.forEach(e -> out.add(e.project()));
    return out;
  }

  private static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes a new file that has mode 0600 from its creation (a temporary file created with that
   * mode, renamed into place), so no other user can ever open it.
   */
  private static void writeOwnerOnly(Path file, String content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp =
        posix()
            ? Files.createTempFile(
                dir, ".tmp-", "", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
            : Files.createTempFile(dir, ".tmp-", "");
    try {
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void restrict(Path file) throws IOException {
    if (posix() && Files.exists(file)) {
      Files.setPosixFilePermissions(file, OWNER_ONLY);
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  @Override
  public String toString() {
    return "ApiKeys" + projects(); // never the keys or their hashes
  }
}
