package io.agentledger.api.chains;

import io.agentledger.api.http.Views;
import java.util.List;

/** {@code GET /chains}: one page; {@code nextCursor} is null on the last page. */
public record ChainPage(List<Views.ChainSummaryView> items, String nextCursor) {}
