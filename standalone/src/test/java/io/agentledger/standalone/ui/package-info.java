/** The chain explorer page, driven in a real headless Chromium over the DevTools protocol. */
@NullMarked
package io.agentledger.standalone.ui;

import org.jspecify.annotations.NullMarked;
