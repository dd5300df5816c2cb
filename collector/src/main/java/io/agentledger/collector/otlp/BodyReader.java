package io.agentledger.collector.otlp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Reads a request body within limits, undoing {@code Content-Encoding: gzip}. */
final class BodyReader {

  private final long maxBodyBytes;
  private final long maxDecompressedBytes;

  BodyReader(long maxBodyBytes, long maxDecompressedBytes) {
    this.maxBodyBytes = maxBodyBytes;
    this.maxDecompressedBytes = maxDecompressedBytes;
  }

  /** True for the encodings we read: none, identity, gzip. */
  static boolean supports(String contentEncoding) {
    String e = normalize(contentEncoding);
    return e.isEmpty() || e.equals("identity") || e.equals("gzip");
  }

  /**
   * The decoded body.
   *
   * @throws RequestTooLargeException over either limit; reading stops at the limit, so a zip bomb
   *     costs at most {@code maxDecompressedBytes} of memory
   * @throws ZipException for a body that says gzip and is not
   */
  byte[] read(InputStream raw, String contentEncoding)
      throws IOException, RequestTooLargeException {
    InputStream limited = new LimitedInputStream(raw, maxBodyBytes, "request body");
    if (!normalize(contentEncoding).equals("gzip")) {
      return readAll(limited, maxBodyBytes, "request body");
    }
    try (GZIPInputStream gzip = new GZIPInputStream(limited, 16 * 1024)) {
      return readAll(gzip, maxDecompressedBytes, "decompressed request body");
    } catch (java.io.EOFException e) {
      throw new ZipException("truncated gzip body");
    } catch (LimitExceeded e) {
      throw new RequestTooLargeException(e.getMessage());
    }
  }

  private static byte[] readAll(InputStream in, long limit, String what)
      throws IOException, RequestTooLargeException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    byte[] buf = new byte[16 * 1024];
    long total = 0;
    try {
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        if (total > limit) {
          throw new RequestTooLargeException(what + " exceeds " + limit + " bytes");
        }
        out.write(buf, 0, n);
      }
    } catch (LimitExceeded e) {
      throw new RequestTooLargeException(e.getMessage());
    }
    return out.toByteArray();
  }

  private static String normalize(String encoding) {
    return encoding == null ? "" : encoding.trim().toLowerCase(Locale.ROOT);
  }

  /** Thrown from inside streams (which may only throw IOException). */
  private static final class LimitExceeded extends IOException {
    private static final long serialVersionUID = 1L;

    LimitExceeded(String message) {
      super(message);
    }
  }

  private static final class LimitedInputStream extends InputStream {
    private final InputStream in;
    private final long limit;
    private final String what;
    private long count;

    LimitedInputStream(InputStream in, long limit, String what) {
      this.in = in;
      this.limit = limit;
      this.what = what;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws LimitExceeded {
      count += n;
      if (count > limit) {
        throw new LimitExceeded(what + " exceeds " + limit + " bytes");
      }
    }
  }
}
