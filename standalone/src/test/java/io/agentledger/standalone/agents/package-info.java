/** The OpenAI Agents SDK and an MCP pair from npm, sent to a running standalone. */
@NullMarked
package io.agentledger.standalone.agents;

import org.jspecify.annotations.NullMarked;
