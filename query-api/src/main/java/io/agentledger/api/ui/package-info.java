/**
 * The chain explorer page at {@code /ui/}: static files (vanilla JavaScript modules, no build step)
 * served from the jar under their own Content-Security-Policy. The page reads everything through
 * the public API with the user's key.
 */
@NullMarked
package io.agentledger.api.ui;

import org.jspecify.annotations.NullMarked;
