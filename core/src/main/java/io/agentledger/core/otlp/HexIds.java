package io.agentledger.core.otlp;

import com.google.protobuf.ByteString;

/** Hex encoding of OTLP trace and span ids (lower-case, as stored and served). */
public final class HexIds {
  public static final int TRACE_ID_BYTES = 16;
  public static final int SPAN_ID_BYTES = 8;

  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private HexIds() {}

  /** Lower-case hex of the bytes; empty for empty. */
  public static String toHex(ByteString bytes) {
    int n = bytes.size();
    char[] out = new char[n * 2];
    for (int i = 0; i < n; i++) {
      int b = bytes.byteAt(i) & 0xff;
      out[2 * i] = DIGITS[b >>> 4];
      out[2 * i + 1] = DIGITS[b & 0x0f];
    }
    return new String(out);
  }

  /**
   * Bytes of a hex string (either case).
   *
   * @throws IllegalArgumentException when the string has an odd length or a non-hex character
   */
  public static ByteString fromHex(String hex) {
    int n = hex.length();
    if ((n & 1) != 0) {
      throw new IllegalArgumentException("odd number of hex digits (" + n + ")");
    }
    byte[] out = new byte[n / 2];
    for (int i = 0; i < n; i += 2) {
      int hi = Character.digit(hex.charAt(i), 16);
      int lo = Character.digit(hex.charAt(i + 1), 16);
      if (hi < 0 || lo < 0) {
        throw new IllegalArgumentException(
            "not a hex string (OTLP/JSON ids are hex, not base64): '" + abbreviate(hex) + "'");
      }
      out[i / 2] = (byte) ((hi << 4) | lo);
    }
    return ByteString.copyFrom(out);
  }

  /** True for a valid id: the right length and not all zero. */
  public static boolean isValid(ByteString id, int expectedBytes) {
    if (id.size() != expectedBytes) {
      return false;
    }
    for (int i = 0; i < expectedBytes; i++) {
      if (id.byteAt(i) != 0) {
        return true;
      }
    }
    return false;
  }

  /** True for a valid lower- or upper-case hex id of the given byte length, not all zeros. */
  public static boolean isValidHex(String hex, int expectedBytes) {
    if (hex == null || hex.length() != expectedBytes * 2) {
      return false;
    }
    boolean nonZero = false;
    for (int i = 0; i < hex.length(); i++) {
      int d = Character.digit(hex.charAt(i), 16);
      if (d < 0) {
        return false;
      }
      nonZero |= d != 0;
    }
    return nonZero;
  }

  private static String abbreviate(String s) {
    return s.length() <= 48 ? s : s.substring(0, 45) + "...";
  }
}
