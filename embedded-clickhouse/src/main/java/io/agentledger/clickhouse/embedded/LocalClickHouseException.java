package io.agentledger.clickhouse.embedded;

/** A local ClickHouse could not be installed, started or stopped. */
public class LocalClickHouseException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public LocalClickHouseException(String message) {
    super(message);
  }

  public LocalClickHouseException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * This host cannot run it at all (no npm or gcc, not Linux x64, the download failed): tests skip
   * with {@link #getMessage()} as the reason rather than fail.
   */
  public static final class NotInstallable extends LocalClickHouseException {

    private static final long serialVersionUID = 1L;

    public NotInstallable(String message) {
      super(message);
    }

    public NotInstallable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
