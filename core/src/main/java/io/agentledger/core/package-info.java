/** The root of the core module: its unchecked exception. */
@NullMarked
package io.agentledger.core;

import org.jspecify.annotations.NullMarked;
