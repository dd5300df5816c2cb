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

  public StoreHealth {
    Objects.requireNonNull(detail, "detail");
  }

  public static StoreHealth healthy() {
    return UP;
  }

  public static StoreHealth down(String detail) {
    return new StoreHealth(false, detail);
  }
}
