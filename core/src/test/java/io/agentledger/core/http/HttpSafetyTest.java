package io.agentledger.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpSafetyTest {

  @Test
  void methodLabel_isAClosedSet() {
    assertThat(HttpSafety.methodLabel("get")).isEqualTo("GET");
    assertThat(HttpSafety.methodLabel("PROPFIND")).isEqualTo("OTHER");
    assertThat(HttpSafety.methodLabel("X" + System.nanoTime())).isEqualTo("OTHER");
  }
}
