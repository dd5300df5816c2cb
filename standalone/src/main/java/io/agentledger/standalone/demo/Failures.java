package io.agentledger.standalone.demo;

/** What goes wrong in the demo, named as the errors of real model clients and tools are. */
final class Failures {

  private Failures() {}

  /** The provider answered 429. */
  static final class RateLimitError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RateLimitError() {
      super("429 Too Many Requests: rate limit reached for requests");
    }
  }

  /** A tool did not answer in time. */
  static final class ToolTimeout extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ToolTimeout(String tool) {
      super(tool + " did not answer within 10 s");
    }
  }

  /** The test suite the coding agent ran failed. */
  static final class TestsFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TestsFailed(int failures) {
      super(failures + " tests failed");
    }
  }
}
