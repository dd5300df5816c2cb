package io.agentledger.core.otlp;

import java.util.Locale;
import java.util.Optional;

/** The two OTLP/HTTP encodings. */
public enum OtlpFormat {
  PROTOBUF("application/x-protobuf"),
  JSON("application/json");

  private final String contentType;

  OtlpFormat(String contentType) {
    this.contentType = contentType;
  }

  public String contentType() {
    return contentType;
  }

  /**
   * The format for a {@code Content-Type} header value, ignoring parameters such as {@code ;
   * charset=utf-8}; empty for any other media type.
   */
  public static Optional<OtlpFormat> fromContentType(String headerValue) {
    if (headerValue == null) {
      return Optional.empty();
    }
    int semicolon = headerValue.indexOf(';');
    String mediaType =
        (semicolon >= 0 ? headerValue.substring(0, semicolon) : headerValue)
            .trim()
            .toLowerCase(Locale.ROOT);
    for (OtlpFormat format : values()) {
      if (format.contentType.equals(mediaType)) {
        return Optional.of(format);
      }
    }
    if (mediaType.equals("application/protobuf")) {
      return Optional.of(PROTOBUF);
    }
    return Optional.empty();
  }
}
