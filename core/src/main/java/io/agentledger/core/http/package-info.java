/** HTTP hygiene shared by the collector's receiver and the query API. */
@NullMarked
package io.agentledger.core.http;

import org.jspecify.annotations.NullMarked;
