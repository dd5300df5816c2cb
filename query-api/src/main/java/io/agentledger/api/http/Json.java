package io.agentledger.api.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.math.BigDecimal;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** The API's JSON conventions in one place. */
public final class Json {

  private Json() {}

  /**
   * Instants as ISO-8601 strings, money as plain decimals without trailing zeros, absent values
   * omitted only where a view says so.
   */
  public static ObjectMapper mapper() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.registerModule(new JavaTimeModule());
    mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    mapper.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    mapper.setSerializationInclusion(JsonInclude.Include.ALWAYS);
    mapper
        .getFactory()
        .setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    return mapper;
  }

  /** Dollars as shown: exact, without trailing zeros; null stays null (unknown). */
  public static @Nullable BigDecimal usd(@Nullable BigDecimal amount) {
    return amount == null ? null : usdKnown(amount);
  }

  /** {@link #usd} of an amount that is known. */
  public static BigDecimal usdKnown(BigDecimal amount) {
    BigDecimal stripped = amount.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }

  /** An empty string is absent in the API: {@code null}. */
  public static @Nullable String orNull(@Nullable String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  public static Instant instant(long epochNanos) {
    return Instant.ofEpochSecond(0, epochNanos);
  }
}
