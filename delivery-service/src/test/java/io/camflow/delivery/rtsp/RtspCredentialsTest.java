package io.camflow.delivery.rtsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RtspCredentialsTest {

  static final RtspUrl PLAIN = RtspUrl.parse("rtsp://h/cam/main").orElseThrow();

  static String basic(String userPass) {
    return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theTokenFromTheHeaderThePasswordOrTheUrl() {
    assertEquals("t1", RtspCredentials.token("Bearer t1", PLAIN));
    assertEquals("t2", RtspCredentials.token(basic("any:t2"), PLAIN));
    assertEquals("a:b", RtspCredentials.token(basic("user:a:b"), PLAIN));
    assertEquals(
        "t3", RtspCredentials.token(null, RtspUrl.parse("rtsp://h/c/m?jwt=t3").orElseThrow()));
    assertEquals(
        "t4",
        RtspCredentials.token(null, RtspUrl.parse("rtsp://h/c/m?access_token=t4").orElseThrow()));
    assertEquals(
        "t5",
        RtspCredentials.token("Bearer t5", RtspUrl.parse("rtsp://h/c/m?jwt=t6").orElseThrow()));
  }

  @Test
  void noToken() {
    assertNull(RtspCredentials.token(null, PLAIN));
    assertNull(RtspCredentials.token(basic("user:"), PLAIN));
    assertNull(RtspCredentials.token(basic("nocolon"), PLAIN));
    assertNull(RtspCredentials.token("Basic !!!", PLAIN));
    assertNull(RtspCredentials.token("Digest username=x", PLAIN));
    assertNull(RtspCredentials.token(null, RtspUrl.parse("rtsp://h/c/m?jwt=").orElseThrow()));
  }
}
