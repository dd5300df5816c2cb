package io.agentledger.store;

import java.util.Objects;

/**
 * Whether the store answers, from {@link SpanStore#check()}.
 *
 * @param up whether a trivial query succeeded
 * @param detail why not, when down; empty when up
 */
public record StoreHealth(boolean up, String detail) {

  private static final StoreHealth UP = new StoreHealth(true, "");

  /**
   * Checks that the detail is not null.
   *
   * @param up whether a trivial query succeeded
   * @param detail why not, when down; empty when up
   */
  public StoreHealth {
    Objects.requireNonNull(detail, "detail");
  }

  /**
   * The store answers.
   *
   * @return an up health with an empty detail
   */
  public static StoreHealth healthy() {
    return UP;
  }

  /**
   * The store does not answer.
   *
   * @param detail why not, e.g. the driver's message; not null
   * @return a down health
   */
  public static StoreHealth down(String detail) {
    return new StoreHealth(false, detail);
  }
}
