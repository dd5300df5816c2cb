package io.agentledger.store;

import java.time.Instant;

/** A chain that received spans, and when the last of them was stored. */
public record ChainRef(String project, String traceId, Instant lastIngestedAt) {}
