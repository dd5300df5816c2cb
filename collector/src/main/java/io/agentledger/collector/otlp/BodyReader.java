package io.agentledger.collector.otlp;

import io.agentledger.core.limits.ByteBudget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a request body within limits, undoing {@code Content-Encoding: gzip}: a size limit as sent
 * and once inflated, a share of the shared {@link ByteBudget} grown as the body is read (so memory
 * is reserved before it is used, never checked after), a deadline for the whole body and a minimum
 * rate it must arrive at.
 */
final class BodyReader {

  /** The budget is grown in steps of at least this much, to keep contention low. */
  private static final long RESERVE_STEP = 64 * 1024;

  private final long maxBodyBytes;
  private final long maxDecompressedBytes;
  private final ReceiverLimits limits;
  private final LongSupplier nanoTime;

  BodyReader(
      long maxBodyBytes, long maxDecompressedBytes, ReceiverLimits limits, LongSupplier nanoTime) {
    this.maxBodyBytes = maxBodyBytes;
    this.maxDecompressedBytes = maxDecompressedBytes;
    this.limits = limits;
    this.nanoTime = nanoTime;
  }

  /** True for the encodings we read: none, identity, gzip. */
  static boolean supports(String contentEncoding) {
    String e = normalize(contentEncoding);
    return e.isEmpty() || e.equals("identity") || e.equals("gzip");
  }

  /** A body that did not arrive in time or arrived too slowly: answered 408. */
  static final class BodyTooSlowException extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooSlowException(String message) {
      super(message);
    }
  }

  /** The byte budget could not cover the body: answered 429 with Retry-After. */
  static final class BudgetExhaustedException extends Exception {
    private static final long serialVersionUID = 1L;

    BudgetExhaustedException(String message) {
      super(message);
    }
  }

  /**
   * The decoded body; the reservation grows to cover what is held (the bytes as sent and about
   * twice the decoded bytes: the growing buffer and its final copy).
   *
   * @throws RequestTooLargeException over either limit; reading stops at the limit, so a zip bomb
   *     costs at most {@code maxDecompressedBytes} of memory
   * @throws ZipException for a body that says gzip and is not
   * @throws BodyTooSlowException past the body deadline or below the minimum rate
   * @throws BudgetExhaustedException when the shared budget cannot cover the body
   */
  byte[] read(InputStream raw, String contentEncoding, ByteBudget.Reservation reservation)
      throws IOException, RequestTooLargeException, BudgetExhaustedException {
    LimitedInputStream limited = new LimitedInputStream(raw, maxBodyBytes, "request body");
    if (!normalize(contentEncoding).equals("gzip")) {
      return readAll(limited, limited, maxBodyBytes, "request body", reservation);
    }
    try (GZIPInputStream gzip = new GZIPInputStream(limited, 16 * 1024)) {
      return readAll(gzip, limited, maxDecompressedBytes, "decompressed request body", reservation);
    } catch (java.io.EOFException e) {
      throw new ZipException("truncated gzip body");
    } catch (LimitExceeded e) {
      throw new RequestTooLargeException(e.getMessage());
    }
  }

  private static byte[] readAll(
      InputStream in,
      LimitedInputStream wire,
      long limit,
      String what,
      ByteBudget.Reservation reservation)
      throws IOException, RequestTooLargeException, BudgetExhaustedException {
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
        long needed = wire.count + 2 * total;
        if (needed > reservation.ceiling()) {
          throw new RequestTooLargeException(
              what + " exceeds the " + reservation.ceiling() + " bytes one request may hold");
        }
        if (needed > reservation.held()
            && !reservation.growTo(Math.max(needed, reservation.held() + RESERVE_STEP))
            && !reservation.growTo(needed)) {
          throw new BudgetExhaustedException(
              "the receiver is holding as many request bytes as it may; retry later");
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

  /** Counts the bytes as sent, stopping at the size limit, the deadline and the minimum rate. */
  private final class LimitedInputStream extends InputStream {
    private final InputStream in;
    private final long limit;
    private final String what;
    private final long startNanos = nanoTime.getAsLong();
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

    private void count(int n) throws IOException {
      count += n;
      if (count > limit) {
        throw new LimitExceeded(what + " exceeds " + limit + " bytes");
      }
      long elapsed = nanoTime.getAsLong() - startNanos;
      if (elapsed > limits.bodyTimeout().toNanos()) {
        throw new BodyTooSlowException(
            "the request body did not arrive within " + seconds(limits.bodyTimeout()));
      }
      long minRate = limits.minBodyBytesPerSecond();
      if (minRate > 0
          && elapsed > limits.minRateGrace().toNanos()
          && count < minRate * (elapsed / 1e9)) {
        throw new BodyTooSlowException(
            "the request body arrived slower than " + minRate + " bytes a second");
      }
    }
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
