/** Decision trees derived from chains when they settle, and stored for the query API. */
@NullMarked
package io.agentledger.analyzer.decision;

import org.jspecify.annotations.NullMarked;
