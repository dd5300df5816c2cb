/** Integration tests of the query API served by the standalone process. */
@NullMarked
package io.agentledger.standalone.api;

import org.jspecify.annotations.NullMarked;
