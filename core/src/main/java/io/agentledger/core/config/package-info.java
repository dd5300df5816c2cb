/** Declared settings read from the environment, validated with every error reported at once. */
@NullMarked
package io.agentledger.core.config;

import org.jspecify.annotations.NullMarked;
