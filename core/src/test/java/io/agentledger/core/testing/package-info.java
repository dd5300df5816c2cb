/** Span builders, captured fixtures and a test price catalog for other modules' tests. */
@NullMarked
package io.agentledger.core.testing;

import org.jspecify.annotations.NullMarked;
