/** API keys: hashing and checking. */
@NullMarked
package io.agentledger.core.auth;

import org.jspecify.annotations.NullMarked;
