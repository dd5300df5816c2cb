package io.agentledger.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Which anomalies to list: those active at some time in the range (first seen before its end, last
 * seen at or after its start), newest last-seen first.
 *
 * @param range when the anomalies were active
 * @param status {@link Anomaly#FIRING}, {@link Anomaly#RESOLVED}, or empty for any
 * @param kind the kind to match, or empty for any
 * @param agent the subject's agent to match, or empty for any
 * @param limit at most this many
 * @param after where the previous page ended, if this is a later page
 */
public record AnomalyQuery(
    TimeRange range,
    String status,
    String kind,
    String agent,
    int limit,
    Optional<Position> after) {

  /**
   * Checks the components.
   *
   * @param range when the anomalies were active
   * @param status firing, resolved, or empty for any
   * @param kind the kind to match, or empty for any
   * @param agent the agent to match, or empty for any
   * @param limit at most this many, positive
   * @param after where the previous page ended
   */
  public AnomalyQuery {
    Objects.requireNonNull(range, "range");
    status = status == null ? "" : status;
    kind = kind == null ? "" : kind;
    agent = agent == null ? "" : agent;
    after = after == null ? Optional.empty() : after;
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive");
    }
  }

  /**
   * Every anomaly active in the range, up to {@code limit}.
   *
   * @param range when the anomalies were active
   * @param limit at most this many
   * @return the query
   */
  public static AnomalyQuery all(TimeRange range, int limit) {
    return new AnomalyQuery(range, "", "", "", limit, Optional.empty());
  }

  /**
   * The same query restricted to one status.
   *
   * @param newStatus firing or resolved
   * @return the query
   */
  public AnomalyQuery withStatus(String newStatus) {
    return new AnomalyQuery(range, newStatus, kind, agent, limit, after);
  }

  /**
   * The same query for the page after {@code position}.
   *
   * @param position the last anomaly of the previous page
   * @return the query
   */
  public AnomalyQuery after(Position position) {
    return new AnomalyQuery(range, status, kind, agent, limit, Optional.of(position));
  }

  /**
   * A place in the order of listing: last seen descending, then id.
   *
   * @param lastSeen the last-seen time of the anomaly the page ended with
   * @param id its id
   */
  public record Position(Instant lastSeen, String id) {
    /**
     * Checks the components.
     *
     * @param lastSeen the last-seen time
     * @param id the id
     */
    public Position {
      Objects.requireNonNull(lastSeen, "lastSeen");
      Objects.requireNonNull(id, "id");
    }

    /**
     * The position of an anomaly.
     *
     * @param a the anomaly
     * @return its position
     */
    public static Position of(Anomaly a) {
      return new Position(a.lastSeen(), a.id());
    }

    /**
     * The position as an opaque cursor for the API.
     *
     * @return URL-safe text
     */
    public String encode() {
      String plain = "a1|" + lastSeen.getEpochSecond() + "|" + lastSeen.getNano() + "|" + id;
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a cursor {@link #encode()} made.
     *
     * @param cursor the cursor
     * @return the position
     * @throws IllegalArgumentException if it is not such a cursor
     */
    public static Position decode(String cursor) {
      String invalid = "not a cursor this API issued";
      if (cursor.isBlank() || cursor.length() > 512) {
        throw new IllegalArgumentException(invalid);
      }
      try {
        String[] parts =
            new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8)
                .split("\\|", 4);
        if (parts.length != 4 || !parts[0].equals("a1") || parts[3].isEmpty()) {
          throw new IllegalArgumentException(invalid);
        }
        return new Position(
            Instant.ofEpochSecond(Long.parseLong(parts[1]), Integer.parseInt(parts[2])), parts[3]);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(invalid, e);
      }
    }
  }
}
