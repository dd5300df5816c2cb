package io.agentledger.api.chains;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.agentledger.api.http.Views;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@code GET /chains}: one page; {@code nextCursor} is absent on the last page (API.md). */
public record ChainPage(
    List<Views.ChainSummaryView> items,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String nextCursor) {}
